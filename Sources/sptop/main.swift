print("sptop")

extension String {
  /// This text cut to at most `width` cells (one scalar a cell); when cut, its last cell is
  /// `ellipsis`. Empty for a width of 0 or less.
  public func truncated(to width: Int, ellipsis: Unicode.Scalar) -> String {
    guard width > 0 else { return "" }
    let scalars = unicodeScalars
    var count = 0
    var index = scalars.startIndex
    while index != scalars.endIndex {
      if count == width - 1 {
        // One cell left: keep the rest only if it is exactly one scalar.
        let next = scalars.index(after: index)
        if next == scalars.endIndex { return self }
        var out = String(scalars[scalars.startIndex..<index])
        out.unicodeScalars.append(ellipsis)
        return out
      }
      count += 1
      index = scalars.index(after: index)
    }
    return self
  }
}

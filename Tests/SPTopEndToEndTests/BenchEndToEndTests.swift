import Foundation
import Testing

/// `sptop bench` as a user runs it: every figure present, finite and positive, in the table and
/// in JSON, at sizes small enough to exercise every shape of the dense product (n below and
/// above the batch of 20), and no temporary file left behind.
@Suite(.timeLimit(.minutes(3))) struct BenchEndToEndTests {
  static func benchFiles() -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
    return Set(names.filter { $0.hasPrefix("sptop-bench-") })
  }

  @Test func jsonHasEveryFigureFiniteAndPositive() throws {
    let before = Self.benchFiles()
    let r = try SPTopProcess.run(["bench", "--sizes", "1,5,33", "--reps", "1", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect((object["machine"] as? String)?.contains("kernels") == true)
    let figures = try #require(object["figures"] as? [[String: Any]])
    var names: [String] = []
    for f in figures {
      let name = try #require(f["name"] as? String)
      let value = try #require(f["value"] as? Double)
      names.append(name)
      #expect(value.isFinite && value > 0, "\(name): \(value)")
      #expect((f["definition"] as? String)?.isEmpty == false, "\(name) has a definition")
    }
    for n in [1, 5, 33] {
      for model in ["vanilla", "penalized", "linear"] {
        #expect(names.contains("step \(model) n=\(n)"))
      }
    }
    for shape in ["W·X", "Wᵀ·G", "G·Xᵀ"] { #expect(names.contains("dense \(shape) n=33")) }
    #expect(names.contains("seed run as a process"))
    #expect(names.contains("dashboard frame 200×60"))
    #expect(Self.benchFiles().subtracting(before).isEmpty, "no sptop-bench-* file is left")
  }

  @Test func tableEndsWithTheBuildAndMachineLine() throws {
    let r = try SPTopProcess.run(["bench", "--sizes", "5", "--reps", "1"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix("step vanilla n=5") && $0.contains("µs") })
    #expect(lines.contains { $0.hasPrefix("dense W·X n=5") && $0.contains("GFLOP/s") })
    #expect(lines.last?.hasPrefix("build ") == true && lines.last?.contains("kernels") == true)
  }
}

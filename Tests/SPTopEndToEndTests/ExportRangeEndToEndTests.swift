import Foundation
import SPTestSupport
import Testing

/// `export --svg --range`: the a-priori figure keeps the steps asked for (`all`, `last:N`,
/// `A:B`), read back from the figure's own coordinates; bad values are refused in one line.
@Suite(.timeLimit(.minutes(3))) struct ExportRangeEndToEndTests {
  static let accepted = "all, last:N (the last N steps) or A:B (steps A to B, A < B)"

  @Test func badRangesAreRefusedInOneLine() async throws {
    for bad in [
      "", "some", "last", "last:", "last:0", "last:-5", "5:2", "3:3", "1:2:3", "a:b",
      "-1:5", "1.5:9", ":9", "last:1e3",
    ] {
      let r = await ChildProcess.sptop(
        ["export", "/nonexistent.jsonl", "--svg", "/tmp", "--range", bad], interrupt: 20)
      #expect(r.status == 64, "\(bad): \(r.stderr)")
      #expect(r.stderr == "sptop: --range: expected \(Self.accepted), got '\(bad)'\n", "\(bad)")
      #expect(r.stdout.isEmpty)
    }
    let csv = await ChildProcess.sptop(
      ["export", "/nonexistent.jsonl", "--csv", "/tmp/x.csv", "--range", "all"], interrupt: 20)
    #expect(csv.status == 64)
    #expect(
      csv.stderr
        == "sptop: --range: chooses the steps of the --svg figures; give --svg DIR with it\n")
  }

  /// Each series path's points as steps (from two x ticks: the axis is linear), per model;
  /// prints "name count min max" per line.
  static let steps = #"""
    import re, sys
    svg = open(sys.argv[1]).read()
    ticks = [(float(x), float(t)) for x, t in
             re.findall(r'<text x="([-0-9.]+)" y="[-0-9.]+" text-anchor="middle">([-0-9.e]+)</text>', svg)]
    (p0, s0), (p1, s1) = ticks[0], ticks[-1]
    for cls in ["series", "raw"]:
        for m in re.finditer(r'<path class="%s"[^>]* data-name="([^"]*)" d="([^"]*)"' % cls, svg):
            xs = [float(p.strip()[1:].split()[0]) for p in re.split(r'(?=[ML])', m.group(2)) if p.strip()]
            st = [s0 + (x - p0) * (s1 - s0) / (p1 - p0) for x in xs]
            print(cls, m.group(1), len(st), round(min(st)), round(max(st)))
    """#

  /// The logged steps of each model (index 0, 1, 2) from the tidy CSV.
  static func loggedSteps(_ csv: String) -> [String: [Int]] {
    var out: [String: [Int]] = [:]
    for line in csv.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      if let step = Int(cells[3]), !cells[7].isEmpty {
        out[String(cells[0]), default: []].append(step)
      }
    }
    return out
  }

  @Test func theFigureKeepsOnlyTheStepsAskedFor() throws {
    let folder = try TemporaryFolder("export-range")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.path + "/s.jsonl"
    let run = try SPTopProcess.run(["run", "--iterations", "1500", "--record", log])
    #expect(run.status == 0, "\(run.stderr)")
    let table = try SPTopProcess.run(["export", log, "--csv", folder.path + "/t.csv"])
    #expect(table.status == 0, "\(table.stderr)")
    let logged = Self.loggedSteps(
      try String(contentsOfFile: folder.path + "/t.csv", encoding: .utf8))
    #expect(logged.count == 3)
    let last = logged.values.compactMap(\.last).max() ?? 0
    for (range, low, high) in [
      ("400:900", 400, 900), ("last:500", last - 500, last), ("all", 0, last),
    ] {
      let out = folder.path + "/fig-" + range.replacingOccurrences(of: ":", with: "-")
      let r = try SPTopProcess.run(
        ["export", log, "--svg", out, "--range", range, "--smoothing", "0.9"])
      #expect(r.status == 0, "\(range): \(r.stderr)")
      let path = out + "/apriori-error.svg"
      let svg = try String(contentsOfFile: path, encoding: .utf8)
      if range != "all" { #expect(svg.contains(">steps \(low)–\(high)</text>"), "\(range)") }
      let check = Launch.runAndWait(["python3", "-c", Self.steps, path], mergeStandardError: true)
      #expect(check.status == 0, "\(check.stdout)")
      let rows = check.stdout.split(separator: "\n").map { $0.split(separator: " ") }
      #expect(rows.count == 6, "\(range): smoothed and raw of 3 models: \(check.stdout)")
      for row in rows {
        let name = String(row[1])
        let kept = (logged[name] ?? []).filter { (low...high).contains($0) }
        // Exactly the logged steps in the range, read back within a step of the pixels.
        #expect(Int(row[2]) == kept.count, "\(range) \(row)")
        #expect(abs((Int(row[3]) ?? -1) - (kept.first ?? -9)) <= 2, "\(range) \(row)")
        #expect(abs((Int(row[4]) ?? -1) - (kept.last ?? -9)) <= 2, "\(range) \(row)")
      }
    }
  }
}

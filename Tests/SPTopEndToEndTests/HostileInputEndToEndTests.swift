import Foundation
import PropertyBased
import SPTestSupport
import Testing

/// Hostile input through the built binary: random flag vectors, every numeric flag and
/// configuration value at every extreme, mutated logs, a 100 MB log line, a theme of a million
/// keys, n = 10⁹. Every run either works or says in one line on stderr what is wrong (status 1
/// or 64); none traps, hangs (each is interrupted after a few seconds, which only a training run
/// may need), or grows past 512 MiB of resident memory (wait4's ru_maxrss).
@Suite(.timeLimit(.minutes(4))) struct HostileInputEndToEndTests {
  static let memoryLimitKiB = 512 * 1024

  /// Extreme values for numeric flags and settings, as text.
  static let numbers = [
    "0", "1", "-1", "5", "2", "0.001", "-0", "1e308", "-1e308", "1e309", "5e-324", "nan", "NaN",
    "inf", "-inf", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "1000000000", "0x10", "1_000", "", " 5",
    "abc", "1e3",
  ]

  /// The values every numeric flag is tried with.
  static let extremes = [
    "0", "-1", "1", "-0", "1e308", "-1e308", "1e309", "5e-324", "nan", "inf", "-inf",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1000000000", "",
    "abc", "0x10",
  ]

  /// Checks the outcome of one run: works (status 0), refused in one line (1 or 64), or a
  /// training run that had to be interrupted and stopped at once with 130; bounded memory.
  static func expectWorksOrOneLine(
    _ r: ChildProcess.Result, _ what: String, mayTrain: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let context = "\(what): status \(r.status), \(r.seconds) s, stderr:\n\(r.stderr)"
    #expect(
      r.peakKiB < memoryLimitKiB, "\(r.peakKiB) KiB: \(context)", sourceLocation: sourceLocation)
    #expect(!r.killed, "ignored SIGINT: \(context)", sourceLocation: sourceLocation)
    let problems = r.stderrLines.filter {
      !$0.hasPrefix("sptop run: ") && !$0.hasPrefix("sptop: warning: ")
    }
    switch r.status {
    case 0:
      break
    case 1, 64:
      #expect(problems.count == 1, "one line: \(context)", sourceLocation: sourceLocation)
      #expect(
        problems.first?.hasPrefix("sptop: ") == true, "\(context)", sourceLocation: sourceLocation)
    case 130:
      // Training (`run` says where it stopped) or benchmarking, both legitimately long.
      #expect(
        mayTrain && r.interrupted
          && (r.stderr.contains("stopped by signal 2") || what.contains("\"bench\"")),
        "interrupted while training: \(context)", sourceLocation: sourceLocation)
    default:
      Issue.record("unexpected status: \(context)", sourceLocation: sourceLocation)
    }
  }

  // MARK: Flag vectors

  /// Tokens of a random command line: every flag of the dashboard and of `run`, values from
  /// the ordinary to the absurd, and the odd separator or unknown flag.
  static let flagTokens =
    [
      "--models", "--n", "--seed", "--eta", "--batch", "--iterations", "--optimizer",
      "--penalty-weight", "--init", "--target", "--width", "--record", "--force", "--log-every",
      "--eval-every", "--json", "--config", "--theme", "--color", "--fps", "--", "--nope", "-x",
      "--n=3", "--eta=-1", "--models=linear", "--version", "-h", "vanilla", "vanilla,linear",
      "linear,skew,odd", "penalized-scaled", "biasfree,mass", "nope", ",", "sgd", "adam",
      "momentum",
      "he", "scaled", "skew", "laplacian", "odd-teacher", "even", "always", "never", "dark", "nord",
      "RECORD", "/nonexistent/dir/x.jsonl", "/dev/null", "/",
    ] + numbers

  static func vector(_ indices: [Int], dir: String) -> [String] {
    indices.map { i -> String in
      let t = flagTokens[i % flagTokens.count]
      return t == "RECORD" ? "\(dir)/rec-\(i).jsonl" : t
    }
  }

  @Test(.shrinking(false)) func runFlagVectorsWorkOrFailInOneLine() async throws {
    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    await propertyCheck(
      count: 200, input: Gen.int(in: 0..<Self.flagTokens.count).array(of: 0...8)
    ) { indices in
      // A short default run; a random --iterations later in the vector overrides it.
      let args = ["run", "--iterations", "300"] + Self.vector(indices, dir: dir)
      let r = await ChildProcess.sptop(args, interrupt: 6)
      Self.expectWorksOrOneLine(r, "sptop \(args)")
      if r.status == 0 && !args.contains("--version") && !args.contains("-h") {
        #expect(r.stdout.contains("model"), "\(args)")
      }
      for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
        try? FileManager.default.removeItem(atPath: dir + "/" + file)
      }
    }
  }

  /// The dashboard parses the same flags; with stdin not a terminal it can only refuse, in one
  /// line, and must leave no empty `--record` file behind.
  @Test(.shrinking(false)) func dashboardFlagVectorsFailInOneLineWithoutATerminal() async throws {
    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    await propertyCheck(
      count: 100, input: Gen.int(in: 0..<Self.flagTokens.count).array(of: 0...8)
    ) { indices in
      let args = Self.vector(indices, dir: dir)
      let r = await ChildProcess.sptop(args, interrupt: 6)
      if args.contains("--version") || args.contains("-h") {
        Self.expectWorksOrOneLine(r, "sptop \(args)", mayTrain: false)
        return
      }
      #expect(r.status == 1 || r.status == 64, "sptop \(args): \(r.status) \(r.stderr)")
      Self.expectWorksOrOneLine(r, "sptop \(args)", mayTrain: false)
      if r.stderr.contains("is not a terminal") {
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        #expect(left.isEmpty, "sptop \(args) left \(left)")
      }
      for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
        try? FileManager.default.removeItem(atPath: dir + "/" + file)
      }
    }
  }

  // MARK: Every numeric flag and setting at every extreme

  /// Runs sptop with each argument list, two at a time (the machine has two cores), and gives
  /// the results back in order.
  static func inParallel(_ cases: [[String]], interrupt: Double) async -> [ChildProcess.Result] {
    await withTaskGroup(of: (Int, ChildProcess.Result).self) { group in
      var results: [Int: ChildProcess.Result] = [:]
      var next = 0
      func add() {
        guard next < cases.count else { return }
        let i = next
        next += 1
        group.addTask { (i, await ChildProcess.sptop(cases[i], interrupt: interrupt)) }
      }
      add()
      add()
      for await (i, r) in group {
        results[i] = r
        add()
      }
      return cases.indices.map { results[$0]! }
    }
  }

  @Test func everyNumericFlagAtEveryExtreme() async {
    let runFlags = [
      "--n", "--seed", "--eta", "--batch", "--iterations", "--penalty-weight", "--width",
      "--log-every", "--eval-every",
    ]
    var cases: [(flag: String, args: [String])] = []
    for value in Self.extremes {
      for flag in runFlags {
        cases.append((flag, ["run", "--iterations", "50", flag, value]))
        if ["-1", "nan", "9223372036854775808"].contains(value) {
          cases.append((flag, ["run", "--iterations", "50", "\(flag)=\(value)"]))
        }
      }
      cases.append(("--fps", ["--fps", value]))
      cases.append(("--fps", ["replay", "--summary", "--fps", value, "/nonexistent.jsonl"]))
      cases.append(("--reps", ["bench", "--reps", value, "--sizes", "1"]))
      cases.append(("--sizes", ["bench", "--reps", "1", "--sizes", value]))
    }
    let results = await Self.inParallel(cases.map(\.args), interrupt: 8)
    for ((flag, args), r) in zip(cases, results) {
      Self.expectWorksOrOneLine(r, "sptop \(args)")
      if r.status != 0 && r.status != 130 && !r.stderr.contains("is not a terminal")
        && !r.stderr.contains("no such file")
      {
        #expect(r.stderr.contains(flag), "the line names \(flag): sptop \(args): \(r.stderr)")
      }
    }
  }

  @Test func everyNumericConfigValueAtEveryExtreme() async throws {
    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let keys = ["n", "seed", "eta", "batch", "iterations", "penalty-weight", "width", "fps"]
    let values = [
      "0", "-1", "1e308", "-1e308", "nan", "inf", "-inf", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "5e-324", "1000000000", "\"abc\"", "\"\"",
      "true", "[1, 2]", "{ a = 1 }", "1979-05-27", "0.5", "\"1e308\"",
    ]
    var cases: [[String]] = []
    for (k, key) in keys.enumerated() {
      for (v, value) in values.enumerated() {
        let path = "\(dir)/c-\(k)-\(v).toml"
        try "\(key) = \(value)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let short = key == "iterations" ? [] : ["--iterations", "50"]
        cases.append(key == "fps" ? ["--config", path] : ["run", "--config", path] + short)
      }
    }
    let results = await Self.inParallel(cases, interrupt: 8)
    for (args, r) in zip(cases, results) {
      Self.expectWorksOrOneLine(r, "sptop \(args)")
      if r.status == 1 || r.status == 64, !r.stderr.contains("is not a terminal") {
        // Refused values name the file they come from.
        #expect(r.stderr.contains(args[args.firstIndex(of: "--config")! + 1]), "\(r.stderr)")
      }
    }
  }

  // MARK: Logs

  /// A recorded log with a few random edits, through `verify` and `replay --summary`.
  @Test(.shrinking(false)) func mutatedLogsThroughVerifyAndSummary() async throws {
    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let seed = dir + "/seed.jsonl"
    let made = await ChildProcess.sptop([
      "run", "--iterations", "200", "--log-every", "20", "--record", seed,
    ])
    try #require(made.status == 0, "\(made.stderr)")
    let lines = try String(contentsOfFile: seed, encoding: .utf8).split(separator: "\n").map(
      String.init)
    let splices = [
      "NaN", "1e999", "-1", "9223372036854775808", "null", "{", "]", "\"", ",", "\u{0}", "\u{FEFF}",
      "\"step\":100000000000000000,", "\"type\":\"end\",", "\"lambdas\":[1e308,-1e308],",
      String(repeating: "[", count: 2000),
    ]
    await propertyCheck(count: 40, input: Gen.int(in: 0...1023).array(of: 2...12)) { values in
      var c = values.makeIterator()
      func next(_ bound: Int) -> Int { (c.next() ?? 0) % max(1, bound) }
      var edited = lines
      for _ in 0..<(1 + next(3)) {
        let i = next(edited.count)
        switch next(4) {
        case 0:
          var chars = Array(edited[i])
          chars.insert(contentsOf: splices[next(splices.count)], at: next(chars.count + 1))
          edited[i] = String(chars)
        case 1: edited.remove(at: i)
        case 2: edited.insert(edited[i], at: next(edited.count))
        default: edited[i] = String(edited[i].prefix(next(edited[i].count + 1)))
        }
        if edited.isEmpty { break }
      }
      let path = dir + "/m.jsonl"
      try (edited.joined(separator: "\n") + (next(3) == 0 ? "" : "\n")).write(
        toFile: path, atomically: true, encoding: .utf8)
      for args in [["verify", path], ["replay", "--summary", path]] {
        let r = await ChildProcess.sptop(args, interrupt: 20)
        Self.expectWorksOrOneLine(r, "sptop \(args)", mayTrain: false)
        if r.status == 1 {
          #expect(r.stderr.contains(path), "the line names the log: \(r.stderr)")
        }
      }
    }
  }

  /// The issue's 100 MB log line: refused with the line number and the limit, without reading
  /// the file whole (peak RSS far below the line's size).
  @Test func aHundredMegabyteLineIsRefusedInBoundedMemory() async throws {
    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let path = dir + "/long.jsonl"
    let made = await ChildProcess.sptop(["run", "--iterations", "50", "--record", path])
    try #require(made.status == 0)
    let lineNumber =
      try String(contentsOfFile: path, encoding: .utf8).filter { $0 == "\n" }.count + 1
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
    try handle.write(contentsOf: Data("{\"type\":\"metric\",\"model\":\"".utf8))
    for _ in 0..<100 { try handle.write(contentsOf: chunk) }
    try handle.write(contentsOf: Data("\"}\n".utf8))
    try handle.close()
    for args in [
      ["verify", path], ["replay", "--summary", path], ["export", path, "--csv", dir + "/o.csv"],
    ] {
      let r = await ChildProcess.sptop(args, interrupt: 20)
      #expect(r.status == 1, "\(args): \(r.stderr)")
      #expect(
        r.stderr
          == "sptop: \(path):\(lineNumber): line too long: over the limit of 64 MiB a line\n",
        "\(r.stderr)")
      #expect(r.peakKiB < 96 * 1024, "peak RSS \(r.peakKiB) KiB for a 100 MiB line")
      #expect(r.seconds < 60)
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/o.csv"))
  }

  @Test func aBillionAndAMillionKeysAreRefusedQuickly() async throws {
    let n = await ChildProcess.sptop(["run", "--n", "1000000000"])
    #expect(n.status == 64)
    #expect(
      n.stderr
        == "sptop: --n 1000000000 with --batch 20: too large to even count the memory it needs\n")
    #expect(n.peakKiB < 64 * 1024)

    let folder = try TemporaryFolder("hostile")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    var text = "inherits = \"dark\"\n[roles]\n"
    text.reserveCapacity(21_000_000)
    for i in 0..<1_000_000 { text += "k\(i) = \"#ff0000\"\n" }
    try text.write(toFile: dir + "/huge.toml", atomically: false, encoding: .utf8)
    for args in [
      ["--theme", dir + "/huge.toml"], ["--iterations", "1", "--theme", dir + "/huge.toml"],
    ] {
      let r = await ChildProcess.sptop(args)
      #expect(r.status == 1, "\(r.stderr)")
      #expect(
        r.stderr == "sptop: --theme: \(dir)/huge.toml: larger than 1 MiB, the limit of a theme or "
          + "configuration file\n")
      #expect(r.seconds < 30 && r.peakKiB < 64 * 1024, "\(r.seconds) s, \(r.peakKiB) KiB")
    }
    // As a configuration file too.
    try FileManager.default.moveItem(atPath: dir + "/huge.toml", toPath: dir + "/config.toml")
    let c = await ChildProcess.sptop(["run", "--config", dir + "/config.toml"])
    #expect(c.status == 1 && c.stderr.contains("larger than 1 MiB"), "\(c.stderr)")
  }
}

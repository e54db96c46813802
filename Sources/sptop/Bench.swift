import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// `sptop bench`: speed and memory figures, each printed with its definition.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure speed and memory; print each figure with its definition.")

  @Option(
    parsing: .unconditional, help: "Comma-separated problem sizes for the per-step figures.")
  var sizes: String = "5,10,20,50,100,200"

  @Option(parsing: .unconditional, help: "Repetitions per figure; the median is reported.")
  var reps: Int = 7

  @Option(
    help: "Folder of the yardsticks (reference.c, reference_numpy.py) to measure beside sptop.")
  var yardsticks: String?

  @Flag(help: "Also measure peak memory of 10,000- and 10,000,000-step runs (about a minute).")
  var memory = false

  @Flag(help: "Print one JSON object instead of the table.")
  var json = false

  @Option(
    help: ArgumentHelp(
      "Measure only these groups (comma-separated): \(Group.allCases.map(\.rawValue).joined(separator: ", ")).",
      valueName: "groups"))
  var only: String?

  /// The groups of figures `--only` picks from.
  enum Group: String, CaseIterable {
    case steps, verdict, kernels, seed, dashboard, ensemble, lanes
  }

  func groups() throws -> Set<Group> {
    guard let only else { return Set(Group.allCases) }
    return Set(
      try commaList(only, flag: "--only").map { item in
        guard let g = Group(rawValue: item) else {
          throw ValidationError(
            "--only: '\(item)' is not a group (accepted: \(Group.allCases.map(\.rawValue).joined(separator: ", ")))"
          )
        }
        return g
      })
  }

  func validate() throws {
    if !(1...1000).contains(reps) { throw ValidationError("--reps: must be 1…1000, got \(reps)") }
    _ = try parsedSizes()
    _ = try groups()
    if let yardsticks { try Self.checkYardsticks(yardsticks) }
  }

  /// `--yardsticks DIR` checked before any measuring: a folder with a regular reference.c (and
  /// reference_numpy.py, if there, regular too), and gcc to build it. Found late, a missing
  /// folder used to cost the whole benchmark.
  static func checkYardsticks(_ dir: String) throws {
    switch FileKind(path: dir) {
    case nil: throw ValidationError("--yardsticks \(dir): no such folder")
    case .directory?: break
    case let kind?: throw ValidationError("--yardsticks \(dir): is \(kind.phrase), not a folder")
    }
    let source = (dir as NSString).appendingPathComponent("reference.c")
    switch FileKind(path: source) {
    case nil: throw ValidationError("--yardsticks \(dir): no reference.c there")
    case .regular?: break
    case let kind?:
      throw ValidationError(
        "--yardsticks \(dir): reference.c is \(kind.phrase), not a regular file")
    }
    let script = (dir as NSString).appendingPathComponent("reference_numpy.py")
    if let kind = FileKind(path: script), kind != .regular {
      throw ValidationError(
        "--yardsticks \(dir): reference_numpy.py is \(kind.phrase), not a regular file")
    }
    guard FileManager.default.isExecutableFile(atPath: gcc) else {
      throw ValidationError("--yardsticks: building reference.c needs \(gcc), which is not there")
    }
  }

  static let gcc = "/usr/bin/gcc"

  func parsedSizes() throws -> [Int] {
    try commaList(sizes, flag: "--sizes").map { item in
      guard let n = Int(item), (1...2000).contains(n) else {
        throw ValidationError(
          "--sizes: '\(item)' is not an integer 1…2000 (give comma-separated sizes, got '\(sizes)')"
        )
      }
      return n
    }
  }

  /// One measured figure.
  struct Figure: Encodable {
    var name: String
    var value: Double
    var unit: String
    var definition: String
  }

  struct Report: Encodable {
    var build: String
    var machine: String
    var figures: [Figure]
  }

  func run() throws {
    var figures: [Figure] = []
    func add(_ f: Figure) {
      figures.append(f)
      if !json {
        let value =
          f.value >= 100 ? String(format: "%.1f", f.value) : String(format: "%.3f", f.value)
        print(
          f.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            + value.leftPadded(to: 12) + " "
            + f.unit.padding(toLength: 8, withPad: " ", startingAt: 0)
            + "  " + f.definition)
      }
    }
    let sizes = try parsedSizes()
    let groups = try groups()
    if groups.contains(.steps) {
      for n in sizes {
        for model in SessionSettings.defaultModels {
          let (us, scheme) = stepMicroseconds(model: model, n: n)
          add(
            Figure(
              name: "step \(model) n=\(n)", value: us, unit: "µs",
              definition: "median time of one training step, batch 20, sgd, init \(scheme)"))
        }
      }
    }
    if groups.contains(.verdict) { for n in sizes { for f in verdictFigures(n: n) { add(f) } } }
    if groups.contains(.kernels), let largest = sizes.max() {
      for f in kernelFigures(n: largest) { add(f) }
    }
    if groups.contains(.seed) {
      add(
        Figure(
          name: "seed run in process", value: seedRunMilliseconds(), unit: "ms",
          definition: "vanilla, penalized, linear × 5000 steps, n=5, session start to result"))
      add(
        Figure(
          name: "seed run as a process", value: try processMilliseconds(), unit: "ms",
          definition: "`sptop run` (defaults) from spawn to exit, wall clock"))
    }
    if groups.contains(.dashboard) { for f in dashboardFigures() { add(f) } }
    if groups.contains(.ensemble) { for f in ensembleFigures() { add(f) } }
    if groups.contains(.lanes) { for f in laneFigures() { add(f) } }
    if memory { for f in try memoryFigures() { add(f) } }
    if let dir = yardsticks { for f in try yardstickFigures(dir: dir, ours: figures) { add(f) } }
    if json {
      let enc = JSONEncoder()
      enc.outputFormatting = [.sortedKeys]
      let data = try enc.encode(Report(build: build, machine: machine, figures: figures))
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        "build \(build); \(machine); medians of \(reps) repetitions; float64, one core (but "
          + "the ensemble figures)")
    }
  }

  var build: String {
    #if DEBUG
      "debug"
    #else
      "release"
    #endif
  }

  var machine: String {
    let cpu =
      (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
      .split(separator: "\n").first { $0.hasPrefix("model name") }?
      .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    return
      "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
      + "\(Kernels.path.rawValue) kernels"
  }

  func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s[s.count / 2]
  }

  /// Median µs per training step; n ≥ 50 uses scaled init so training stays finite.
  func stepMicroseconds(model: String, n: Int) -> (Double, String) {
    let scheme: InitScheme = n >= 50 ? .scaled : .randn
    let problem = Problem(n: n, seed: 1)
    let arch = ArchitectureRegistry.make(model, config: .init(n: n))!
    let trainer = Trainer(
      architecture: arch, problem: problem, batch: 20, optimizer: SGD(eta: 0.001),
      initScheme: scheme, seed: Problem.modelSeed(1, slot: 0))
    let seconds = medianSeconds { if !trainer.step() { trainer.reinitialize() } }
    return (seconds * 1e6, scheme.rawValue)
  }

  /// The structure metrics of one model (float64, the numbers shown) against the Float80
  /// re-evaluation the verdict rests on, for `odd` (two passes of its network per input) and
  /// `vanilla` at size n.
  func verdictFigures(n: Int) -> [Figure] {
    ["vanilla", "odd"].flatMap { model -> [Figure] in
      let trainer = Trainer(
        architecture: ArchitectureRegistry.make(model, config: .init(n: n))!,
        problem: Problem(n: n, seed: 1), batch: 20, optimizer: SGD(eta: 0.001),
        initScheme: n >= 50 ? .scaled : .randn, seed: Problem.modelSeed(1, slot: 0))
      let plain = medianSeconds { _ = trainer.diagnostics(extended: false) }
      let extended = medianSeconds { _ = trainer.extendedDefects() }
      return [
        Figure(
          name: "diagnostics \(model) n=\(n)", value: plain * 1e6, unit: "µs",
          definition: "every structure metric in float64 on the 109 probe inputs"),
        Figure(
          name: "Float80 verdict \(model) n=\(n)", value: extended * 1e6, unit: "µs",
          definition: "the same defects re-evaluated in Float80 for the verdict"),
      ]
    }
  }

  /// Median seconds of one call of `body` over `reps` repetitions, each sized (doubling the
  /// number of calls) to take about 20 ms.
  func medianSeconds(of body: () -> Void) -> Double {
    withoutActuallyEscaping(body) { medianSeconds(ofEach: [$0])[0] }
  }

  /// The median seconds of each body, measured in turns (a repetition of the first, then of
  /// the second, …, `reps` times) so that figures compared with each other — one thread against
  /// two — see the same minutes of a machine whose speed drifts.
  func medianSeconds(ofEach bodies: [() -> Void]) -> [Double] {
    // Calls a repetition makes: doubled until it takes over 20 ms.
    let calls = bodies.map { body in
      var k = 1
      while true {
        let t0 = monotonicSeconds()
        for _ in 0..<k { body() }
        if monotonicSeconds() - t0 > 0.02 || k >= 1 << 22 { return k }
        k *= 2
      }
    }
    var times = [[Double]](repeating: [], count: bodies.count)
    for _ in 0..<reps {
      for (j, body) in bodies.enumerated() {
        let t0 = monotonicSeconds()
        for _ in 0..<calls[j] { body() }
        times[j].append((monotonicSeconds() - t0) / Double(calls[j]))
      }
    }
    return times.map(median)
  }

  /// Median milliseconds of the default headless session, in process.
  func seedRunMilliseconds() -> Double {
    median(
      (0..<reps).map { _ in
        let t0 = monotonicSeconds()
        let session = try! TrainingSession(
          settings: SessionSettings(), publishInterval: 1, stopsWhenDone: true)
        session.start()
        session.waitUntilFinished()
        return (monotonicSeconds() - t0) * 1e3
      })
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

extension Bench {
  /// GFLOP/s of the dense product in the three shapes a training step at n uses with batch 20
  /// (2·rows·inner·columns operations per product; this core's float64 peak is about 128).
  func kernelFigures(n: Int) -> [Figure] {
    var rng = Xoshiro256(seed: 7)
    let m = 20
    // W serves as n×n weights and as the n×20 back-propagated G; Z holds n×20 or n×n results.
    let size = n * max(n, m)
    let W = (0..<size).map { _ in rng.normal() }
    let X = (0..<(n * m)).map { _ in rng.normal() }
    let XT = (0..<(m * n)).map { _ in rng.normal() }
    var Z = [Double](repeating: 0, count: size)
    // (name, rowStride, columnStride, inner, input, columns)
    let shapes: [(String, Int, Int, Int, [Double], Int)] = [
      ("W·X", n, 1, n, X, m), ("Wᵀ·G", 1, n, n, X, m), ("G·Xᵀ", m, 1, m, XT, n),
    ]
    return shapes.map { name, rowStride, columnStride, inner, input, columns in
      let product = {
        W.withUnsafeBufferPointer { w in
          input.withUnsafeBufferPointer { x in
            Z.withUnsafeMutableBufferPointer { z in
              Kernels.combine(
                w.baseAddress!, rowStride: rowStride, columnStride: columnStride, nil, rows: n,
                inner: inner, x.baseAddress!, m: columns, into: z.baseAddress!)
            }
          }
        }
      }
      let seconds = medianSeconds(of: product)
      let flops = 2.0 * Double(n * inner * columns)
      let label = "\(n)×\(inner)·\(inner)×\(columns)"
      return Figure(
        name: "dense \(name) n=\(n)", value: flops / seconds / 1e9, unit: "GFLOP/s",
        definition: "\(label) product, \(Kernels.path.rawValue) kernels, median of \(reps)")
    }
  }
}

import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// The training flags shared by the dashboard and `sptop run`. Each is nil when not given, so
/// a fork can tell the flags that change its parent from those that keep it.
struct TrainingOptions: ParsableArguments {
  static let defaults = SessionSettings()

  @Option(
    help: ArgumentHelp(
      "Comma-separated lineup of models ("
        + ArchitectureName.allValueStrings.joined(separator: ", ") + "). (default: "
        + defaults.models.joined(separator: ",") + ")"))
  var models: String?

  @Option(
    parsing: .unconditional,
    help: "Problem size: f(x) = A x with A an n×n matrix. (default: \(defaults.n))")
  var n: Int?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Seed of the random generator (A, xvalid, probes, initial parameters, samples). "
        + "(default: \(defaults.seed))"))
  var seed: UInt64?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Learning rate η of every model (changeable live in the dashboard). (default: "
        + "\(defaults.eta))"))
  var eta: Double?

  @Option(
    parsing: .unconditional,
    help: "Samples per step; each step averages their gradients. (default: \(defaults.batch))")
  var batch: Int?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Steps to train; 0 trains until stopped. In a fork, counted from the parent's start. "
        + "(default: \(defaults.iterations); a fork: the parent's)"))
  var iterations: Int?

  @Option(
    help: ArgumentHelp(
      "Optimiser. (default: \(defaults.optimizer.rawValue))"))
  var optimizer: Choice<OptimizerKind>?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Weight w of the penalized model's homogeneity penalty. (default: "
        + "\(defaults.penaltyWeight))"))
  var penaltyWeight: Double?

  @Option(
    name: .customLong("init"),
    help: ArgumentHelp(
      "Initial parameters: randn (as the seed), scaled (matrices randn/√fan-in) or he "
        + "(matrices randn·√(2/fan-in), biases 0). (default: \(defaults.initScheme.rawValue))"))
  var initScheme: Choice<InitScheme>?

  @Option(
    help: ArgumentHelp(
      "Target structure (general is the seed's f(x) = A x). (default: "
        + "\(defaults.target.rawValue))"))
  var target: Choice<TargetKind>?

  @Option(
    parsing: .unconditional,
    help: "Hidden width of the MLP family (B1 width×n, B2 width×width, B3 n×width); default n.")
  var width: Int?

  /// The settings these flags describe, checked: the error names the flag and what it accepts.
  func settings() throws(ValidationError) -> SessionSettings {
    let d = Self.defaults
    let lineup = try commaList(models ?? d.models.joined(separator: ","), flag: "--models").map {
      item throws(ValidationError) in
      try Choice<ArchitectureName>(argument: item).value(flag: "--models").rawValue
    }
    var s = SessionSettings(
      models: lineup, n: n ?? d.n, seed: seed ?? d.seed,
      target: try target?.value(flag: "--target")
        ?? d.target)
    s = try applied(to: s)
    return s
  }

  /// `base` with the flags given here that a fork may change (η, batch, iterations, optimiser,
  /// penalty weight, init, width) in place of its own, checked as the flags are.
  func applied(to base: SessionSettings) throws(ValidationError) -> SessionSettings {
    var s = base
    if let eta { s.eta = eta }
    if let batch { s.batch = batch }
    if let iterations { s.iterations = iterations }
    if let optimizer { s.optimizer = try optimizer.value(flag: "--optimizer") }
    if let penaltyWeight { s.penaltyWeight = penaltyWeight }
    if let initScheme { s.initScheme = try initScheme.value(flag: "--init") }
    if let width { s.width = width }
    do {
      try s.validate()
    } catch {
      throw ValidationError(error.flagMessage)
    }
    return s
  }

  /// The flags a fork cannot take: the lineup and the seed, which a fork keeps.
  var sessionFlagsGiven: [String] {
    [models.map { _ in "--models" }, seed.map { _ in "--seed" }].compactMap { $0 }
  }

  /// The changes a fork makes at its step: the flags given (checked by `applied(to:)` first).
  func forkOverrides() throws(ValidationError) -> SessionFork.Overrides {
    SessionFork.Overrides(
      eta: eta, optimizer: try optimizer?.value(flag: "--optimizer"), batch: batch,
      penaltyWeight: penaltyWeight, width: width,
      initScheme: try initScheme?.value(flag: "--init"),
      target: try target?.value(flag: "--target"), n: n)
  }

  func validate() throws {
    _ = try settings()
  }
}

/// `--fork LOG --at STEP`: continue a recorded session from one of its steps.
struct ForkOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Fork the session recorded in this log at step --at: its exact state there, with the "
        + "training flags given (η, batch, optimizer, penalty weight, width, init, target, n, "
        + "iterations) changed from that step on.", valueName: "log"))
  var fork: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("The parent's session step to fork at (with --fork).", valueName: "step"))
  var at: Int?

  func validate() throws {
    if at != nil, fork == nil { throw ValidationError("--at: only with --fork LOG") }
    if fork != nil, at == nil {
      throw ValidationError("--fork: needs --at STEP, the parent's session step to fork at")
    }
  }

  /// A fork's session: the parent re-run to the fork's step first (on a terminal, how far).
  static func session(
    _ fork: SessionFork, publishInterval: Double, stopsWhenDone: Bool = false, pace: Pace? = nil,
    threads: Int = 1, command: String
  ) throws -> TrainingSession {
    let line = ProgressLine()
    defer { line.clear() }
    let seeds = fork.parent.header.seeds.map { " (\(EnsembleSummary.seedCount($0.count)))" } ?? ""
    do {
      return try TrainingSession(
        fork: fork, publishInterval: publishInterval, stopsWhenDone: stopsWhenDone, pace: pace,
        threads: threads
      ) { step, last in
        line.show(
          "\(command): re-running the parent\(seeds) to step "
            + ProgressLine.steps(step, of: last, elapsed: line.elapsed))
      }
    } catch {
      throw CommandFailure(message: "\(error)")
    }
  }

  /// The fork these flags describe, with the training flags given as its changes; nil without
  /// `--fork`. Reads the parent log (progress on a terminal, one-line errors).
  func plan(_ training: TrainingOptions) throws -> SessionFork? {
    guard let path = fork, let step = at else { return nil }
    if let flag = training.sessionFlagsGiven.first {
      throw CommandFailure(
        message: "\(flag): a fork keeps the parent's seed and lineup; change the lineup live "
          + "with c, i and x, or start a new run")
    }
    let parent = try LogCommands.read(path)
    let settings: SessionSettings
    do throws(ValidationError) {
      settings = try training.applied(to: parent.header.settings)
      // A new target or n is checked as the flags are (the fork re-runs with the parent's and
      // changes them at its step).
      if training.n != nil || training.target != nil {
        var check = settings
        if let n = training.n { check.n = n }
        if let t = training.target { check.target = try t.value(flag: "--target") }
        do {
          try check.validate()
        } catch {
          throw ValidationError(error.flagMessage)
        }
      }
    } catch {
      throw CommandFailure(message: error.message)
    }
    do {
      return try SessionFork(
        parent: parent, parentPath: path, at: step,
        iterations: training.iterations == nil ? nil : settings.iterations,
        overrides: try training.forkOverrides())
    } catch let error as SessionFork.Failure {
      throw CommandFailure(message: error.description)
    }
  }
}

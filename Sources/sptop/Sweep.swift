import ArgumentParser
import Foundation
import SPConfig
import SPEngine

/// `sptop sweep SPEC --out DIR`: a grid of ensembles, each recorded to its own log, summarised.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a grid of experiments over seeds (a TOML spec) on every core, or on Slurm.",
    discussion: "`sptop sweep SPEC --out DIR` runs every configuration here; "
      + "`--shard I/N` runs one part of them (any batch system); `--slurm` submits the parts as "
      + "a Slurm job array; `sptop sweep collect DIR` merges the parts. Spec format in the README.",
    subcommands: [SweepRun.self, SweepCollect.self],
    defaultSubcommand: SweepRun.self)
}

struct SweepRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a sweep spec's configurations into a folder (the default).")

  @Argument(help: "The sweep spec (TOML: [base] and [grid]).") var spec: String

  @Option(help: ArgumentHelp("The sweep's folder (created if missing).", valueName: "dir"))
  var out: String

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Configurations trained at once (default: every core); each gets cores/J threads.",
      valueName: "j"))
  var jobs: Int?

  @Flag(help: "Print the plan — configurations, model-steps, estimated time and memory — and stop.")
  var dryRun = false

  @Flag(help: "Run a grid of more than 100,000 configurations.") var yes = false

  @Flag(
    help: ArgumentHelp(
      "Re-run every kept configuration's log bit for bit before resuming (as `sptop verify`); "
        + "one that differs runs again."))
  var verify = false

  @Flag(
    help:
      "Use a folder made by a different spec (its finished logs of this spec's configurations are kept)."
  )
  var force = false

  @Option(
    help: ArgumentHelp(
      "Run only shard I of N: the configurations k with (k − 1) mod N = I − 1.", valueName: "I/N"))
  var shard: String?

  @Flag(help: "Write a Slurm job-array script into the folder and submit it with sbatch.")
  var slurm = false

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Array tasks of --slurm (default: one per configuration, at most 1000).", valueName: "n"))
  var shards: Int?

  @Option(help: ArgumentHelp("Slurm partition (with --slurm).", valueName: "p")) var partition:
    String?
  @Option(
    help: ArgumentHelp("Slurm time limit per task (with --slurm), e.g. 1:00:00.", valueName: "t"))
  var time: String?
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("CPUs per Slurm task (with --slurm; default 1).", valueName: "c"))
  var cpusPerTask: Int?
  @Option(
    parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "Another #SBATCH line's argument (with --slurm; repeatable).", valueName: "arg"))
  var sbatchArg: [String] = []

  func validate() throws {
    if let jobs, !(1...1024).contains(jobs) {
      throw ValidationError("--jobs: must be 1…1024, got \(jobs)")
    }
    if let shard {
      do { _ = try SweepShard(shard) } catch { throw ValidationError(error.description) }
    }
    if slurm && shard != nil {
      throw ValidationError("--slurm: submits every shard itself; not with --shard")
    }
    if !slurm {
      for (given, flag) in [
        (partition != nil, "--partition"), (time != nil, "--time"),
        (cpusPerTask != nil, "--cpus-per-task"), (!sbatchArg.isEmpty, "--sbatch-arg"),
        (shards != nil, "--shards"),
      ] where given {
        throw ValidationError("\(flag): only with --slurm")
      }
    }
    if verify && (dryRun || slurm) {
      throw ValidationError(
        "--verify: checks the kept logs before running here; not with "
          + (dryRun ? "--dry-run" : "--slurm (give it to the shards: --shard I/N --verify)"))
    }
    if let shards, !(1...SweepShard.limit).contains(shards) {
      throw ValidationError("--shards: must be 1…\(SweepShard.limit), got \(shards)")
    }
    if let c = cpusPerTask, !(1...4096).contains(c) {
      throw ValidationError("--cpus-per-task: must be 1…4096, got \(c)")
    }
  }

  func run() throws {
    let sweep = try SweepFolder.prepare(
      spec: spec, out: out, yes: yes, force: force, dryRun: dryRun)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let jobs = self.jobs ?? cores
    if dryRun {
      try SweepPlanPrinter.print(sweep, jobs: jobs, cores: cores)
      return
    }
    if slurm {
      try SlurmSubmit.submit(
        sweep, shards: min(shards ?? min(sweep.plan.count, 1000), sweep.plan.count),
        partition: partition, time: time, cpusPerTask: cpusPerTask ?? 1, extra: sbatchArg)
      return
    }
    let part = try shard.map { (s) throws(SweepError) in try SweepShard(s) }
    if let part { try sweep.noteShards(part.count) }
    let finished = try SweepRunner(
      sweep: sweep, jobs: jobs, cores: cores, shard: part, verify: verify
    ).run()
    if let part {
      FileHandle.standardError.write(
        Data(
          ("sptop sweep: shard \(part): \(finished) configurations finished; when every shard "
            + "has run: sptop sweep collect \(sweep.folder)\n").utf8))
      return
    }
    try SweepCollect.collect(sweep)
  }
}

struct SweepCollect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "collect",
    abstract:
      "Merge a sweep's shards into summary.csv, summary.json and its figures, or name what is missing."
  )

  @Argument(help: "The sweep's folder.") var dir: String

  func run() throws {
    try Self.collect(try SweepFolder.open(dir))
  }

  /// Writes the summary and figures when every configuration's log is complete; otherwise
  /// names each missing or unfinished one, its shard, and the commands that rerun exactly those.
  static func collect(_ sweep: SweepFolder) throws {
    var outcomes: [Int: SweepOutcome] = [:]
    var problems: [(config: Int, why: String)] = []
    for k in 1...sweep.plan.count {
      switch sweep.state(k) {
      case .complete(let o): outcomes[k] = o
      case .missing: problems.append((k, "not run"))
      case .unfinished: problems.append((k, "started, not finished (killed or failed)"))
      case .invalid(let why): problems.append((k, why))
      }
    }
    if !problems.isEmpty {
      throw CommandFailure(message: sweep.missingReport(problems))
    }
    let summary = SweepSummary(plan: sweep.plan, outcomes: outcomes)
    try sweep.writeSummary(summary)
    print(SweepTable.render(summary), terminator: "")
  }
}

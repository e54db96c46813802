import Foundation
import SPTestSupport
import Testing

/// Every input is checked before any work, and lists take no empty item: `bench --yardsticks
/// /nonexistent` used to run the whole benchmark (about 15 s in a debug build) before failing,
/// `bench --sizes 5,,10` was taken as 5,10, and an export's missing output folder was found
/// only after the log was read.
@Suite(.timeLimit(.minutes(2))) struct ValidationEndToEndTests {
  @Test func benchChecksItsInputsBeforeMeasuring() async throws {
    let folder = try TemporaryFolder("validate")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let fifo = dir + "/ys"
    try FileManager.default.createDirectory(atPath: fifo, withIntermediateDirectories: true)
    #expect(mkfifo(fifo + "/reference.c", 0o600) == 0)
    for (args, line) in [
      (["--yardsticks", "/nonexistent"], "--yardsticks /nonexistent: no such folder"),
      (["--yardsticks", dir], "--yardsticks \(dir): no reference.c there"),
      (
        ["--yardsticks", fifo],
        "--yardsticks \(fifo): reference.c is a FIFO (named pipe), not a regular file"
      ),
      (
        ["--sizes", "5,,10"],
        "--sizes: item 2 of '5,,10' is empty (two commas together, or one at an end)"
      ),
      (
        ["--sizes", "5,"],
        "--sizes: item 2 of '5,' is empty (two commas together, or one at an end)"
      ),
      (
        ["--sizes", ",5"],
        "--sizes: item 1 of ',5' is empty (two commas together, or one at an end)"
      ),
      (
        ["--sizes", "5,x"],
        "--sizes: 'x' is not an integer 1…2000 (give comma-separated sizes, got '5,x')"
      ),
      (
        ["--only", "lanes,gpu"],
        "--only: 'gpu' is not a group (accepted: steps, verdict, kernels, seed, dashboard, ensemble, lanes)"
      ),
    ] {
      let r = await ChildProcess.sptop(["bench"] + args, interrupt: 20)
      #expect(r.status == 64, "\(args): \(r.stderr)")
      #expect(r.stderr == "sptop: \(line)\n", "\(args)")
      #expect(r.stdout.isEmpty, "\(args): measured before refusing")
      #expect(r.seconds < 5, "\(args): \(r.seconds) s")
    }
  }

  /// Every comma list — `--models` on the command line and in config.toml, as a string or an
  /// array — refuses an empty item, naming it.
  @Test func listsRefuseEmptyItems() async throws {
    let folder = try TemporaryFolder("lists")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let empty = "is empty (two commas together, or one at an end)"
    for (models, line) in [
      ("vanilla,,linear", "--models: item 2 of 'vanilla,,linear' \(empty)"),
      ("vanilla,", "--models: item 2 of 'vanilla,' \(empty)"),
      (",", "--models: item 1 of ',' \(empty)"),
    ] {
      let r = await ChildProcess.sptop(["run", "--iterations", "10", "--models", models])
      #expect(r.status == 64 && r.stderr == "sptop: \(line)\n", "\(models): \(r.stderr)")
    }
    let config = dir + "/c.toml"
    for (setting, line) in [
      (
        #"models = "vanilla,,linear""#,
        "--models: item 2 of 'vanilla,,linear' \(empty) (models is set in \(config))"
      ),
      (#"models = ["vanilla", ""]"#, "\(config): 'models': item 2 of the array is an empty string"),
      ("models = []", "\(config): 'models': an empty array; give at least one value"),
    ] {
      try (setting + "\n").write(toFile: config, atomically: false, encoding: .utf8)
      let r = await ChildProcess.sptop(["run", "--iterations", "10", "--config", config])
      #expect(r.status != 0 && r.stderr == "sptop: \(line)\n", "\(setting): \(r.stderr)")
    }
  }

  /// `replay` without a terminal says so before it reads the log (a long one takes seconds),
  /// and names what works without one — before, it read the log, then suggested `sptop run`.
  @Test func replayWithoutATerminalSaysSoFirst() async throws {
    let folder = try TemporaryFolder("replay")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/junk.jsonl"
    try "junk\n".write(toFile: log, atomically: false, encoding: .utf8)
    let r = await ChildProcess.sptop(["replay", log])
    #expect(r.status == 1)
    #expect(
      r.stderr
        == "sptop: stdin is not a terminal; use `sptop replay --summary LOG` for the table\n")
  }

  /// `export` says why an output cannot be written before it reads the log: here the log is
  /// junk, and the message is about the output, naming the missing folder.
  @Test func exportChecksItsOutputsBeforeReading() async throws {
    let folder = try TemporaryFolder("export")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/junk.jsonl"
    try "junk\n".write(toFile: log, atomically: false, encoding: .utf8)
    try "keep\n".write(toFile: dir + "/exists.csv", atomically: false, encoding: .utf8)
    for (args, line) in [
      (
        ["--csv", dir + "/no/o.csv"], "--csv \(dir)/no/o.csv: the folder '\(dir)/no' does not exist"
      ),
      (["--svg", dir + "/no/fig"], "--svg \(dir)/no/fig: the folder '\(dir)/no' does not exist"),
      (["--svg", "no/deeper/fig"], "--svg no/deeper/fig: the folder 'no/deeper' does not exist"),
      (
        ["--csv", dir + "/exists.csv"],
        "--csv \(dir)/exists.csv: the file exists; add --force to overwrite it"
      ),
      (["--svg", log + "x/fig"], "--svg \(log)x/fig: the folder '\(log)x' does not exist"),
    ] {
      let r = await ChildProcess.sptop(["export", log] + args)
      #expect(r.status == 1 && r.stderr == "sptop: \(line)\n", "\(args): \(r.stderr)")
    }
  }
}

import Foundation
import SPTestSupport
import Testing

/// The files sptop writes (recordings, CSV and SVG exports): created with the user's umask,
/// never through a symbolic link planted at the path, never over an existing file without
/// `--force`.
@Suite(.timeLimit(.minutes(2))) struct FileSafetyEndToEndTests {
  static func mode(_ path: String) -> Int? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
  }

  @Test(arguments: [("077", 0o600), ("022", 0o644)])
  func filesFollowTheUmask(umask: String, expected: Int) async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/run.jsonl"
    let run = await ChildProcess.sptop(
      ["run", "--iterations", "100", "--record", log], umask: umask)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(Self.mode(log) == expected, "recording: \(String(Self.mode(log) ?? -1, radix: 8))")
    let export = await ChildProcess.sptop(
      ["export", log, "--csv", dir + "/out.csv", "--svg", dir + "/fig"], umask: umask)
    #expect(export.status == 0, "\(export.stderr)")
    for file in ["out.csv", "fig/apriori-error.svg", "fig/homogeneity.svg"] {
      #expect(
        Self.mode(dir + "/" + file) == expected,
        "\(file): \(String(Self.mode(dir + "/" + file) ?? -1, radix: 8))")
    }
    // The folder --svg creates is a folder of the same umask: rwx where the files have rw.
    #expect(Self.mode(dir + "/fig") == expected | 0o100 | (expected & 0o044) >> 2)
  }

  /// The `r` key in the dashboard too: its timestamped file follows the umask.
  @Test func theRecordKeyFollowsTheUmask() throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let inner =
      "umask 077 && cd \(TmuxSession.quote(dir)) && exec "
      + "\(TmuxSession.quote(SPTopProcess.binary.path)) --iterations 0"
    let s = try TmuxSession("sh -c \(TmuxSession.quote(inner))", width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    s.sendKeys("r")
    #expect(s.waitFor(text: "● REC") != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(files.count == 1)
    for file in files { #expect(Self.mode(dir + "/" + file) == 0o600) }
  }

  /// A symbolic link at the path is never followed, with or without --force, dangling or not:
  /// the link's target is neither created nor changed.
  @Test func aPlantedSymbolicLinkIsNeverFollowed() async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/good.jsonl"
    #expect(await ChildProcess.sptop(["run", "--iterations", "50", "--record", log]).status == 0)
    let victim = dir + "/victim.txt"
    try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
    let dangling = dir + "/would-be-created.txt"
    for target in [victim, dangling] {
      for force in [false, true] {
        let link = dir + "/link-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let extra = force ? ["--force"] : []
        let svgDir = dir + "/svg-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: svgDir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
          atPath: svgDir + "/apriori-error.svg", withDestinationPath: target)
        for (args, path, flag) in [
          (["run", "--iterations", "50", "--record", link] + extra, link, "--record"),
          (["export", log, "--csv", link] + extra, link, "--csv"),
          (["export", log, "--svg", svgDir] + extra, svgDir + "/apriori-error.svg", "--svg"),
        ] {
          let r = await ChildProcess.sptop(args)
          #expect(r.status == 1, "\(args): \(r.stderr)")
          let expected =
            force
            ? "sptop: \(flag) \(path): is a symbolic link; sptop does not follow it\n"
            : "sptop: \(flag) \(path): the file exists; add --force to overwrite it\n"
          #expect(r.stderr == expected, "\(args)")
          #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
          #expect(!FileManager.default.fileExists(atPath: dangling))
        }
      }
    }
    // The dashboard refuses it before the screen opens (here: no terminal, but the record
    // file is checked first).
    let link = dir + "/dash-link"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dangling)
    let r = await ChildProcess.sptop(["--record", link, "--force"])
    #expect(r.stderr == "sptop: --record \(link): is a symbolic link; sptop does not follow it\n")
    #expect(!FileManager.default.fileExists(atPath: dangling))
  }

  /// Existing files stay as they are without --force, and are replaced with it.
  @Test func neverOverwritesWithoutForce() async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/good.jsonl"
    #expect(await ChildProcess.sptop(["run", "--iterations", "50", "--record", log]).status == 0)
    let existing = dir + "/existing"
    try FileManager.default.createDirectory(atPath: dir + "/fig", withIntermediateDirectories: true)
    for path in [existing, dir + "/fig/homogeneity.svg"] {
      try "keep me\n".write(toFile: path, atomically: true, encoding: .utf8)
    }
    for (args, path) in [
      (["run", "--iterations", "50", "--record", existing], existing),
      (["export", log, "--csv", existing], existing),
      (["export", log, "--svg", dir + "/fig"], dir + "/fig/homogeneity.svg"),
    ] {
      let r = await ChildProcess.sptop(args)
      #expect(r.status == 1 && r.stderr.contains("add --force to overwrite it"), "\(r.stderr)")
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
      let forced = await ChildProcess.sptop(args + ["--force"])
      #expect(forced.status == 0, "\(forced.stderr)")
      #expect(try String(contentsOfFile: path, encoding: .utf8) != "keep me\n")
      try "keep me\n".write(toFile: path, atomically: true, encoding: .utf8)
    }
  }

  /// No command writes over one of its inputs — the same path, another spelling, a symbolic
  /// or a hard link to it —, `--force` or not; nor two outputs to one file. The input stays
  /// byte for byte as it was, and the refusal is one line naming the flag, the path and the
  /// input.
  @Test func noCommandWritesOverItsInputs() async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/log.jsonl"
    #expect(await ChildProcess.sptop(["run", "--iterations", "50", "--record", log]).status == 0)
    let original = try Data(contentsOf: URL(fileURLWithPath: log))
    try FileManager.default.createSymbolicLink(atPath: dir + "/sym", withDestinationPath: log)
    try FileManager.default.linkItem(atPath: log, toPath: dir + "/hard")
    let config = dir + "/config.toml"
    try "n = 5\n".write(toFile: config, atomically: false, encoding: .utf8)
    let theme = dir + "/mine.toml"
    try "inherits = \"dark\"\n".write(toFile: theme, atomically: false, encoding: .utf8)
    let input = "refusing to write over an input"
    for force in [[], ["--force"]] {
      for (args, line) in [
        (["export", log, "--csv", log], "--csv: '\(log)' is the input log; \(input)"),
        (
          ["export", log, "--csv", dir + "/sym"],
          "--csv: '\(dir)/sym' is the input log '\(log)'; \(input)"
        ),
        (
          ["export", log, "--csv", dir + "/hard"],
          "--csv: '\(dir)/hard' is the input log '\(log)'; \(input)"
        ),
        (
          ["export", dir + "/sym", "--csv", log],
          "--csv: '\(log)' is the input log '\(dir)/sym'; \(input)"
        ),
        (["export", log, "--svg", log], "--svg: '\(log)' is the input log; \(input)"),
        (
          ["export", log, "--csv", dir + "/a", "--svg", dir + "/a"],
          "--svg: '\(dir)/a' is also the --csv output; refusing to write two outputs to one file"
        ),
        (
          ["run", "--iterations", "10", "--config", config, "--record", config],
          "--record: '\(config)' is the configuration file; \(input)"
        ),
        (
          ["--iterations", "10", "--config", config, "--record", config],
          "--record: '\(config)' is the configuration file; \(input)"
        ),
        (
          ["--iterations", "10", "--theme", theme, "--record", theme],
          "--record: '\(theme)' is a theme file; \(input)"
        ),
      ] {
        let r = await ChildProcess.sptop(args + force)
        #expect(r.status == 1, "\(args + force): \(r.stderr)")
        #expect(r.stderr == "sptop: \(line)\n", "\(args + force)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == original)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "n = 5\n")
        #expect(try String(contentsOfFile: theme, encoding: .utf8) == "inherits = \"dark\"\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/a"))
      }
    }
    // The user's own config.toml (no --config) is an input too.
    let home = dir + "/xdg"
    try FileManager.default.createDirectory(
      atPath: home + "/sptop", withIntermediateDirectories: true)
    try "n = 5\n".write(toFile: home + "/sptop/config.toml", atomically: false, encoding: .utf8)
    let r = await ChildProcess.sptop(
      ["run", "--iterations", "10", "--record", home + "/sptop/config.toml", "--force"],
      environment: ["XDG_CONFIG_HOME": home])
    #expect(
      r.stderr
        == "sptop: --record: '\(home)/sptop/config.toml' is the configuration file; \(input)\n")
  }

  /// A reader refuses a FIFO, a device (a symbolic link to /dev/urandom), a folder at once,
  /// saying what it is: before, `verify` on a FIFO blocked for ever and on /dev/urandom read
  /// without end. The interrupt at 10 s turns a hang into a failure.
  @Test func readersRefuseWhatIsNotARegularFile() async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let fifo = dir + "/fifo.jsonl"
    #expect(mkfifo(fifo, 0o600) == 0)
    let themeFifo = dir + "/fifo.toml"
    #expect(mkfifo(themeFifo, 0o600) == 0)
    let random = dir + "/random.jsonl"
    try FileManager.default.createSymbolicLink(atPath: random, withDestinationPath: "/dev/urandom")
    let tail = "not a regular file; sptop reads only regular files"
    for (path, kind) in [
      (fifo, "a FIFO (named pipe)"), (random, "a character device"), (dir, "a folder"),
    ] {
      for args in [
        ["verify", path], ["replay", "--summary", path],
        ["export", path, "--csv", dir + "/o.csv"],
      ] {
        let r = await ChildProcess.sptop(args, interrupt: 10)
        #expect(!r.interrupted, "\(args) blocked")
        #expect(r.status == 1 && r.stderr == "sptop: \(path): is \(kind), \(tail)\n", "\(args)")
      }
    }
    for (args, line) in [
      (["run", "--config", fifo], "\(fifo): is a FIFO (named pipe), \(tail)"),
      (["--config", fifo], "\(fifo): is a FIFO (named pipe), \(tail)"),
      (["--theme", themeFifo], "--theme: \(themeFifo): is a FIFO (named pipe), \(tail)"),
      (["run", "--config", "/dev/zero"], "/dev/zero: is a character device, \(tail)"),
    ] {
      let r = await ChildProcess.sptop(args, interrupt: 10)
      #expect(!r.interrupted, "\(args) blocked")
      #expect(r.status == 1 && r.stderr == "sptop: \(line)\n", "\(args): \(r.stderr)")
    }
    // A recording onto a FIFO is refused too (the open would block until a reader came),
    // with --force or not; a character device only with --force.
    for force in [[], ["--force"]] {
      let r = await ChildProcess.sptop(
        ["run", "--iterations", "10", "--record", fifo] + force, interrupt: 10)
      #expect(!r.interrupted)
      #expect(
        r.status == 1
          && r.stderr
            == "sptop: --record \(fifo): is a FIFO (named pipe); sptop writes only regular "
            + "files (or, with --force, a character device such as /dev/null)\n",
        "\(r.stderr)")
    }
    let null = await ChildProcess.sptop(["run", "--iterations", "10", "--record", "/dev/null"])
    #expect(null.status == 1 && null.stderr.contains("add --force to write to it"))
  }

  /// 200 MB of junk is refused at its first line without reading the rest: before, `verify`
  /// read all of it (1.8 s, 236 MB resident in a debug build) to say "line 1: not JSON".
  @Test func junkIsRefusedAtItsFirstLine() async throws {
    let folder = try TemporaryFolder("files")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let path = dir + "/junk.jsonl"
    var rng = SystemRandomNumberGenerator()
    let head = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    try head.write(to: URL(fileURLWithPath: path))
    #expect(truncate(path, 200_000_000) == 0)
    // A header that starts well and then turns to junk, and a file of zeros after it.
    let good = dir + "/good-then-junk.jsonl"
    try Data(#"{"type":"header","#.utf8).write(to: URL(fileURLWithPath: good))
    #expect(truncate(good, 200_000_000) == 0)
    for (file, column) in [(path, nil), (good, 18)] {
      for args in [
        ["verify", file], ["replay", "--summary", file], ["export", file, "--csv", dir + "/o.csv"],
      ] {
        let r = await ChildProcess.sptop(args, interrupt: 20)
        #expect(r.status == 1, "\(args): \(r.stderr)")
        #expect(r.stderr.hasPrefix("sptop: \(file):1: not JSON: "), "\(r.stderr)")
        if let column { #expect(r.stderr.contains("control byte 0x00 at column \(column)")) }
        // Resident memory is the load-independent proof that the file was not read whole
        // (236 MB before); the time bound only catches a read of all of it on a busy machine.
        #expect(r.seconds < 10, "\(args): \(r.seconds) s")
        #expect(r.peakKiB < 64 * 1024, "\(args): peak RSS \(r.peakKiB) KiB")
      }
    }
  }
}

import Foundation
import Testing

/// The files sptop writes (recordings, CSV and SVG exports): created with the user's umask,
/// never through a symbolic link planted at the path, never over an existing file without
/// `--force`.
@Suite(.timeLimit(.minutes(2))) struct FileSafetyEndToEndTests {
  static func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("sptop-files-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func mode(_ path: String) -> Int? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
  }

  @Test(arguments: [("077", 0o600), ("022", 0o644)])
  func filesFollowTheUmask(umask: String, expected: Int) async throws {
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
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
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
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
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
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
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
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
}

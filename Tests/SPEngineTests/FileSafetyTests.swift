import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

/// The shared mechanism every command uses so that no output is one of its inputs, and readers
/// take only regular files.
@Suite struct FileSafetyTests {
  func refusal(_ files: FileGuard, _ path: String, flag: String = "--out") -> String? {
    var files = files
    do {
      try files.output(path, flag: flag)
      return nil
    } catch {
      return error.description
    }
  }

  /// The same path, another spelling, a symbolic link and a hard link are all the input.
  @Test func anOutputIsNeverAnInput() throws {
    let folder = try TemporaryFolder("guard")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let input = dir + "/in.jsonl"
    try "x\n".write(toFile: input, atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/sym", withDestinationPath: input)
    try FileManager.default.linkItem(atPath: input, toPath: dir + "/hard")
    try FileManager.default.createSymbolicLink(atPath: dir + "/dirlink", withDestinationPath: dir)
    var files = FileGuard()
    files.input(input, role: "the input log")
    #expect(
      refusal(files, input, flag: "--csv")
        == "--csv: '\(input)' is the input log; refusing to write over an input")
    for other in [
      dir + "/./in.jsonl", dir + "/sym", dir + "/hard", dir + "/dirlink/in.jsonl",
      dir + "/../" + URL(fileURLWithPath: dir).lastPathComponent + "/in.jsonl",
    ] {
      #expect(
        refusal(files, other)
          == "--out: '\(other)' is the input log '\(input)'; refusing to write over an input",
        "\(other)")
    }
    // A different file, existing or not, is fine.
    try "y\n".write(toFile: dir + "/other", atomically: false, encoding: .utf8)
    #expect(refusal(files, dir + "/other") == nil)
    #expect(refusal(files, dir + "/new") == nil)
    // An input that does not exist is nothing's input.
    files.input(dir + "/missing", role: "the configuration file")
    #expect(refusal(files, dir + "/missing") == nil)
  }

  /// Two outputs of one command are never one file: by path (even before either exists) or
  /// by identity.
  @Test func twoOutputsAreNeverOneFile() throws {
    let folder = try TemporaryFolder("guard")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    var files = FileGuard()
    try files.output(dir + "/a", flag: "--csv")
    #expect(
      refusal(files, dir + "/a", flag: "--svg")
        == "--svg: '\(dir)/a' is also the --csv output; refusing to write two outputs to one file")
    #expect(refusal(files, dir + "/./a", flag: "--svg")?.contains("also the --csv output") == true)
    try "z\n".write(toFile: dir + "/b", atomically: false, encoding: .utf8)
    try FileManager.default.linkItem(atPath: dir + "/b", toPath: dir + "/b2")
    try files.output(dir + "/b", flag: "--one")
    #expect(refusal(files, dir + "/b2", flag: "--two")?.contains("also the --one output") == true)
  }

  /// Readers refuse anything but a regular file at once, naming what it is; a FIFO without a
  /// writer would otherwise block the open for ever.
  @Test(.timeLimit(.minutes(1))) func readersTakeOnlyRegularFiles() throws {
    let folder = try TemporaryFolder("guard")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let fifo = dir + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/random", withDestinationPath: "/dev/urandom")
    for (path, kind) in [
      (fifo, "a FIFO (named pipe)"), (dir + "/random", "a character device"),
      ("/dev/null", "a character device"), (dir, "a folder"),
    ] {
      do {
        let fd = try SafeRead.openRegular(path)
        close(fd)
        Issue.record("\(path) was opened")
      } catch {
        #expect(
          error.description == "is \(kind), not a regular file; sptop reads only regular files")
      }
      #expect(throws: LogError.self) { try LogReader.read(path: path) }
    }
    do {
      _ = try LogReader.read(path: fifo)
    } catch {
      #expect(
        "\(error)"
          == "\(fifo): is a FIFO (named pipe), not a regular file; sptop reads only regular files")
    }
  }

  /// Recordings are written to regular files; a FIFO, socket or folder never, a character
  /// device (/dev/null, /dev/full) only with --force.
  @Test(.timeLimit(.minutes(1))) func recordingsGoOnlyToRegularFilesOrAskedForDevices() throws {
    let folder = try TemporaryFolder("guard")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let fifo = dir + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    for force in [false, true] {
      #expect(throws: LogFileError.self) { try LogFile.create(path: fifo, force: force) }
      #expect(throws: LogFileError.self) { try LogFile.create(path: dir, force: force) }
    }
    do {
      _ = try LogFile.create(path: fifo, force: true)
    } catch {
      #expect("\(error)".hasPrefix("--record \(fifo): is a FIFO (named pipe); sptop writes only"))
    }
    #expect(throws: LogFileError.self) { try LogFile.create(path: "/dev/null", force: false) }
    let null = try LogFile.create(path: "/dev/null", force: true)
    close(null.descriptor)
  }

  /// A folder that does not exist is named as given, relative or not.
  @Test func aMissingFolderIsNamed() {
    for (path, folder) in [
      ("nope-\(UUID())/x.jsonl", "nope-"), ("/nonexistent/y/x", "/nonexistent/y"),
    ] {
      do {
        _ = try LogFile.create(path: path, force: false, flag: "--csv")
        Issue.record("created \(path)")
      } catch {
        #expect("\(error)".hasPrefix("--csv \(path): the folder '\(folder)"), "\(error)")
      }
    }
  }
}

/// The folder part of a path, as the shell reads it; one-character names included (Foundation's
/// `deletingLastPathComponent` traps on them on Linux: `sptop --record 5` crashed).
@Suite struct PathTextTests {
  @Test(arguments: [
    ("5", ""), ("ab", ""), ("./5", "."), ("x/5", "x"), ("/5", "/"), ("/", "/"), ("x/", ""),
    ("a/b/", "a"), ("a//b", "a"), ("/a/b/c.jsonl", "/a/b"),
  ])
  func parent(path: String, expected: String) {
    #expect(PathText.parent(of: path) == expected)
  }
}

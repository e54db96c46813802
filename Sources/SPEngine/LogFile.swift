import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file a recording can be written to: created here, before any screen opens, so that every
/// reason it cannot be written is reported up front.
public struct LogFile: Sendable, Hashable {
  public let path: String
  public let descriptor: Int32

  /// Everything `create` would refuse, checked without creating anything: for a command that
  /// has work to do before it writes (export reads the log first), so that a missing folder
  /// or an existing file is said at once, not after the work.
  public static func check(path: String, force: Bool, flag: String = "--record") throws {
    guard !path.isEmpty else { throw LogFileError("\(flag): the path is empty") }
    let parent = PathText.parent(of: path)
    let folder = parent.isEmpty ? "." : parent
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      throw LogFileError("\(flag) \(path): the folder '\(folder)' does not exist")
    }
    if !isDirectory.boolValue {
      throw LogFileError("\(flag) \(path): '\(folder)' is not a folder")
    }
    // Only regular files are written: a FIFO would block the open (or the writes) until a
    // reader came, a socket or block device is no log. A character device (/dev/null, the
    // /dev/full of the full-disk test, a terminal) is written only with --force, as asked.
    guard let kind = FileKind(linkAt: path) else { return }
    if let refusal = refusal(kind, force: force) {
      throw LogFileError("\(flag) \(path): \(refusal)")
    }
    if !force {
      throw LogFileError("\(flag) \(path): the file exists; add --force to overwrite it")
    }
    if kind == .symbolicLink {
      throw LogFileError("\(flag) \(path): is a symbolic link; sptop does not follow it")
    }
  }

  /// Creates `path` for writing with the user's umask (mode 0666 before it). Refuses to
  /// overwrite an existing file unless `force`, and never follows a symbolic link at `path`.
  public static func create(path: String, force: Bool, flag: String = "--record") throws -> LogFile
  {
    try check(path: path, force: force, flag: flag)
    var flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
    flags |= force ? O_TRUNC : O_EXCL
    let fd = open(path, flags, 0o666)
    if fd < 0 {
      let e = errno
      switch e {
      case EEXIST:
        throw LogFileError("\(flag) \(path): the file exists; add --force to overwrite it")
      case ELOOP:
        throw LogFileError("\(flag) \(path): is a symbolic link; sptop does not follow it")
      case EACCES, EPERM:
        throw LogFileError("\(flag) \(path): permission denied")
      case EISDIR:
        throw LogFileError("\(flag) \(path): is a folder")
      default:
        throw LogFileError("\(flag) \(path): \(String(cString: strerror(e)))")
      }
    }
    // What was opened, in case the path changed since the check.
    if let kind = FileKind(descriptor: fd), let refusal = refusal(kind, force: force) {
      _ = close(fd)
      throw LogFileError("\(flag) \(path): \(refusal)")
    }
    let status = fcntl(fd, F_GETFL)
    if status >= 0 { _ = fcntl(fd, F_SETFL, status & ~O_NONBLOCK) }
    return LogFile(path: path, descriptor: fd)
  }

  /// Why an existing file of `kind` is not written, or nil when it may be (a regular file, a
  /// symbolic link — refused by the open itself —, or with --force a character device).
  static func refusal(_ kind: FileKind, force: Bool) -> String? {
    switch kind {
    case .regular, .symbolicLink: nil
    case .characterDevice where force: nil
    case .characterDevice:
      "is a character device; add --force to write to it (sptop writes regular files)"
    default:
      "is \(kind.phrase); sptop writes only regular files "
        + "(or, with --force, a character device such as /dev/null)"
    }
  }

  /// Closes `file` and removes it if nothing was written to it (a session that never started).
  public static func removeIfEmpty(_ file: LogFile) {
    var info = stat()
    let empty = fstat(file.descriptor, &info) == 0 && info.st_size == 0
    _ = close(file.descriptor)
    if empty { _ = unlink(file.path) }
  }

  /// A fresh name in the current directory: sptop-YYYYMMDD-HHMMSS.jsonl (with -2, -3… if taken).
  public static func timestampedName(now: Date = Date()) -> String {
    freshName(stem: "sptop", extension: "jsonl", now: now)
  }

  /// A fresh path in `folder` ("" or "." for the current directory, whose paths are bare
  /// names): `stem`-YYYYMMDD-HHMMSS.`extension`, with -2, -3… when taken.
  public static func freshName(
    stem: String, extension ext: String, in folder: String = "", now: Date = Date()
  ) -> String {
    var t = time_t(now.timeIntervalSince1970)
    var parts = tm()
    localtime_r(&t, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
    let stamp =
      "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
      + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    func path(_ name: String) -> String {
      folder.isEmpty || folder == "." ? name : (folder as NSString).appendingPathComponent(name)
    }
    var name = path("\(stem)-\(stamp).\(ext)")
    var k = 2
    while FileKind(linkAt: name) != nil {
      name = path("\(stem)-\(stamp)-\(k).\(ext)")
      k += 1
    }
    return name
  }
}

/// Why a log file cannot be created: one line for people.
public struct LogFileError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ message: String) { description = OneLine.escaped(message) }
}

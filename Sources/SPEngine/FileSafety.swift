import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file as the kernel knows it: device and inode, whatever path, symbolic link or hard link
/// leads to it.
public struct FileIdentity: Hashable, Sendable {
  public let device: UInt64
  public let inode: UInt64

  /// The file `path` names, following symbolic links; nil when there is none.
  public init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(info)
  }

  /// The file open on `descriptor`.
  public init?(descriptor: Int32) {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return nil }
    self.init(info)
  }

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}

/// What kind of file a path names: readers take only regular files, so a FIFO cannot block
/// them and a device cannot feed them without end.
public enum FileKind: Sendable, Equatable {
  case regular, directory, fifo, characterDevice, blockDevice, socket, symbolicLink, other

  init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFIFO: self = .fifo
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFSOCK: self = .socket
    case S_IFLNK: self = .symbolicLink
    default: self = .other
    }
  }

  /// The kind of the file `path` leads to (symbolic links followed); nil when there is none.
  public init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(mode: info.st_mode)
  }

  /// The kind of `path` itself (a symbolic link is not followed); nil when there is none.
  public init?(linkAt path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    self.init(mode: info.st_mode)
  }

  /// The kind of the file open on `descriptor`.
  public init?(descriptor: Int32) {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return nil }
    self.init(mode: info.st_mode)
  }

  /// "a FIFO", "a character device"… for messages.
  public var phrase: String {
    switch self {
    case .regular: "a regular file"
    case .directory: "a folder"
    case .fifo: "a FIFO (named pipe)"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .socket: "a socket"
    case .symbolicLink: "a symbolic link"
    case .other: "not a regular file"
    }
  }
}

/// Why a file cannot be read or written safely: one line for people.
public struct FileSafetyError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String
  public init(_ message: String) { description = OneLine.escaped(message) }
}

/// The files one command reads and writes, so that no output is ever one of its inputs (the
/// same path, a symbolic link to it, a hard link: the same device and inode) and no two outputs
/// are the same file, `--force` or not. Every command registers its inputs first (the log it
/// reads, `--config`, the theme files, yardsticks), then checks each output before creating it.
public struct FileGuard: Sendable {
  struct Input: Sendable {
    var path: String
    var role: String
    var identity: FileIdentity
    var canonical: String
  }

  struct Output: Sendable {
    var path: String
    var flag: String
    var identity: FileIdentity?
    var canonical: String
  }

  private var inputs: [Input] = []
  private var outputs: [Output] = []

  public init() {}

  /// Registers `path` as an input of the command; `role` says which ("the input log", "the
  /// --config file"). A path that names no file is not an input of anything.
  public mutating func input(_ path: String, role: String) {
    guard let identity = FileIdentity(path: path) else { return }
    inputs.append(
      Input(path: path, role: role, identity: identity, canonical: Self.canonical(path)))
  }

  /// Checks that `path`, to be written for `flag`, is none of the inputs and no earlier output;
  /// then remembers it as an output.
  public mutating func output(_ path: String, flag: String) throws(FileSafetyError) {
    let identity = FileIdentity(path: path)
    let canonical = Self.canonical(path)
    if let input = inputs.first(where: {
      (identity != nil && $0.identity == identity) || $0.canonical == canonical
    }) {
      let same = input.path == path ? "" : " '\(input.path)'"
      throw FileSafetyError(
        "\(flag): '\(path)' is \(input.role)\(same); refusing to write over an input")
    }
    if let earlier = outputs.first(where: {
      (identity != nil && $0.identity == identity) || $0.canonical == canonical
    }) {
      let same = earlier.path == path ? "" : " ('\(earlier.path)')"
      throw FileSafetyError(
        "\(flag): '\(path)' is also the \(earlier.flag) output\(same); "
          + "refusing to write two outputs to one file")
    }
    outputs.append(Output(path: path, flag: flag, identity: identity, canonical: canonical))
  }

  /// An absolute path with the folder's symbolic links resolved (the last component is kept as
  /// it is, since outputs are never written through a link): two spellings of one place
  /// (`a`, `./a`, `/abs/a`, `link-to-dir/a`) become one string.
  static func canonical(_ path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let folder = url.deletingLastPathComponent().path
    let name = url.lastPathComponent
    guard let resolved = realpath(folder, nil) else { return url.path }
    defer { free(resolved) }
    let base = String(cString: resolved)
    return base == "/" ? "/" + name : base + "/" + name
  }
}

/// Opening files to read: only regular files, refused at once otherwise.
public enum SafeRead {
  /// Opens `path` for reading if it is a regular file (symbolic links followed). A FIFO is
  /// opened without blocking and refused, like a device, a folder or a socket. The error says
  /// what is wrong without the path (the caller's message names it).
  public static func openRegular(_ path: String) throws(FileSafetyError) -> Int32 {
    if let kind = FileKind(path: path), kind != .regular { throw notRegular(kind) }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      let e = errno
      switch e {
      case ENOENT: throw FileSafetyError("no such file")
      case EACCES, EPERM: throw FileSafetyError("permission denied")
      default: throw FileSafetyError(String(cString: strerror(e)))
      }
    }
    // The path may have changed between the check and the open: check what was opened.
    let kind = FileKind(descriptor: fd) ?? .other
    guard kind == .regular else {
      _ = close(fd)
      throw notRegular(kind)
    }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    return fd
  }

  /// "is a FIFO (named pipe), not a regular file; sptop reads only regular files".
  public static func notRegular(_ kind: FileKind) -> FileSafetyError {
    FileSafetyError("is \(kind.phrase), not a regular file; sptop reads only regular files")
  }

  /// The file at `path` whole, if it is a regular file of at most `limit` bytes; nil when it
  /// is larger. Never blocks on a FIFO, never reads a device.
  public static func contents(_ path: String, limit: Int) throws(FileSafetyError) -> Data? {
    let fd = try openRegular(path)
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    let data: Data
    do {
      data = try handle.read(upToCount: limit + 1) ?? Data()
    } catch {
      throw FileSafetyError("cannot be read")
    }
    return data.count <= limit ? data : nil
  }
}

/// Path arithmetic on text, as the shell reads a path.
public enum PathText {
  /// The folder part of `path`: "" for a bare name, "/" for an entry of the root; trailing
  /// slashes are not a component ("a/b/" → "a"). Foundation's `deletingLastPathComponent`
  /// traps on a one-character relative path on Linux (`--record 5`), hence this.
  public static func parent(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    var head = p[..<slash]
    while head.count > 1, head.hasSuffix("/") { head = head.dropLast() }
    return head.isEmpty ? "/" : String(head)
  }
}

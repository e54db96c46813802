#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Truecolor for curses: the terminfo entry with direct colour when the environment asks for it.
extension Terminal {
  /// The terminal type to open: when COLORTERM is `truecolor` or `24bit` and TERM's entry has
  /// fewer colours, its `-direct` sibling (`xterm-256color` → `xterm-direct`) if that terminfo
  /// entry is installed (Debian: ncurses-term); otherwise TERM itself (then 256 colours).
  static func terminalType(
    _ term: String, colorMode: ColorMode, environment: [String: String]
  ) -> String {
    guard colorMode != .never, !term.contains("direct") else { return term }
    if colorMode == .auto && !(environment["NO_COLOR"] ?? "").isEmpty { return term }
    let colorterm = (environment["COLORTERM"] ?? "").lowercased()
    guard colorterm == "truecolor" || colorterm == "24bit" else { return term }
    let base = term.split(separator: "-").first.map(String.init) ?? term
    for candidate in ["\(base)-direct", "xterm-direct"] {
      if terminfoExists(candidate, environment: environment) { return candidate }
    }
    return term
  }

  /// Whether a compiled terminfo entry named `name` is installed where ncurses looks.
  static func terminfoExists(_ name: String, environment: [String: String]) -> Bool {
    guard let first = name.first else { return false }
    var dirs: [String] = []
    if let t = environment["TERMINFO"] { dirs.append(t) }
    if let home = environment["HOME"] { dirs.append(home + "/.terminfo") }
    if let list = environment["TERMINFO_DIRS"] {
      dirs += list.split(separator: ":").map(String.init)
    }
    dirs += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
    let hex = String(first.asciiValue ?? 0, radix: 16)
    return dirs.contains { dir in
      access("\(dir)/\(first)/\(name)", F_OK) == 0 || access("\(dir)/\(hex)/\(name)", F_OK) == 0
    }
  }

  /// The variables `terminalType` reads, from the process environment.
  static var colorEnvironment: [String: String] {
    var env: [String: String] = [:]
    for name in ["COLORTERM", "NO_COLOR", "TERMINFO", "TERMINFO_DIRS", "HOME"] {
      if let value = getenv(name) { env[name] = String(cString: value) }
    }
    return env
  }
}

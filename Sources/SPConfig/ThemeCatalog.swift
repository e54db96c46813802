import Foundation
import SPDashboard

/// Where themes come from: the compiled-in default, the shipped `themes/` folder, the current
/// directory's `themes/` and the user's own; finds them by name or path and loads them.
public struct ThemeCatalog: Sendable {
  /// Where a theme was found, in rising precedence (a user theme hides a shipped one).
  public enum Source: Int, Hashable, Sendable, Comparable {
    case builtIn, shipped, currentDirectory, user, path

    public static func < (a: Source, b: Source) -> Bool { a.rawValue < b.rawValue }

    public var label: String {
      switch self {
      case .builtIn: "built in"
      case .shipped: "shipped"
      case .currentDirectory: "./themes"
      case .user: "user"
      case .path: "path"
      }
    }
  }

  /// One theme found: its name (the file name without `.toml`), file and source.
  public struct Entry: Hashable, Sendable {
    public var name: String
    /// Nil for the compiled-in theme.
    public var path: String?
    public var source: Source
  }

  /// A theme loaded and resolved, with what was skipped on the way.
  public struct Loaded: Sendable {
    public var theme: Theme
    public var entry: Entry
    public var warnings: [ConfigWarning]
  }

  /// Every theme found, hidden ones included, by name and then by falling precedence.
  public let entries: [Entry]

  /// Scans `directories` (each with its source) for `*.toml` files.
  public init(directories: [(Source, URL)]) {
    var found = [Entry(name: Theme.dark.name, path: nil, source: .builtIn)]
    var seen = Set<String>()
    for (source, dir) in directories {
      let path = dir.standardizedFileURL.path
      guard seen.insert(path).inserted else { continue }
      let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      for file in files.sorted() where file.hasSuffix(".toml") && !file.hasPrefix(".") {
        found.append(
          Entry(
            name: String(file.dropLast(5)), path: (path as NSString).appendingPathComponent(file),
            source: source))
      }
    }
    entries = found.sorted { ($0.name, $1.source) < ($1.name, $0.source) }
  }

  /// The standard places: the shipped themes next to the executable (the checkout's `themes/`
  /// above `.build/…/sptop`, or `share/sptop/themes` of an installed prefix), `./themes`, and
  /// `$XDG_CONFIG_HOME/sptop/themes` (or `~/.config/sptop/themes`).
  public static func standard(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executable: URL? = ThemeCatalog.executableURL(),
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) -> ThemeCatalog {
    var dirs: [(Source, URL)] = []
    if let executable { dirs += shippedDirectories(executable: executable).map { (.shipped, $0) } }
    dirs.append((.currentDirectory, currentDirectory.appendingPathComponent("themes")))
    if let config = ConfigLocations.configDirectory(environment: environment) {
      dirs.append((.user, config.appendingPathComponent("themes")))
    }
    return ThemeCatalog(directories: dirs)
  }

  /// The running executable, symbolic links resolved.
  public static func executableURL() -> URL? {
    let proc = URL(fileURLWithPath: "/proc/self/exe")
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: proc.path) {
      return URL(fileURLWithPath: target)
    }
    return Bundle.main.executableURL?.resolvingSymlinksInPath()
  }

  /// Shipped-theme folders for an executable: `themes` beside it or up to four levels above it
  /// (a checkout's `.build/<triple>/<config>/sptop`), and `../share/sptop/themes`.
  public static func shippedDirectories(executable: URL) -> [URL] {
    let bin = executable.deletingLastPathComponent()
    var result = [bin.deletingLastPathComponent().appendingPathComponent("share/sptop/themes")]
    var dir = bin
    for _ in 0..<5 {
      let candidate = dir.appendingPathComponent("themes")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        result.append(candidate)
        break
      }
      dir = dir.deletingLastPathComponent()
    }
    return result
  }

  /// One entry per name, the one that wins: the themes `t` cycles through, in name order.
  public var themes: [Entry] {
    var seen = Set<String>()
    return entries.filter { seen.insert($0.name).inserted }
  }

  /// Theme names, for suggestions and messages.
  public var names: [String] { themes.map(\.name) }

  /// The theme `--theme auto` means: "light" when COLORFGBG says the background is light
  /// (colour 7 or 9–15), "dark" otherwise.
  public static func autoThemeName(environment: [String: String]) -> String {
    guard let value = environment["COLORFGBG"],
      let last = value.split(separator: ";").last, let bg = Int(last)
    else { return "dark" }
    return bg == 7 || (9...15).contains(bg) ? "light" : "dark"
  }

  /// Whether `--theme` names a file rather than a theme.
  public static func isPath(_ value: String) -> Bool {
    value.contains("/") || value.hasSuffix(".toml")
  }

  /// Loads a theme by name (the winning entry), or by path when `nameOrPath` looks like one.
  public func load(_ nameOrPath: String) throws(ConfigError) -> Loaded {
    if Self.isPath(nameOrPath) {
      let path = URL(fileURLWithPath: nameOrPath).standardizedFileURL.path
      let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
      return try load(Entry(name: name, path: path, source: .path))
    }
    guard let entry = themes.first(where: { $0.name == nameOrPath }) else {
      throw ConfigError(
        "unknown theme '\(nameOrPath)'\(NearestName.hint(nameOrPath, among: names)); "
          + "themes: \(names.joined(separator: ", "))")
    }
    return try load(entry)
  }

  /// Loads one entry, following `inherits`.
  public func load(_ entry: Entry) throws(ConfigError) -> Loaded {
    var warnings: [ConfigWarning] = []
    let document = try document(entry, chain: [], warnings: &warnings)
    return Loaded(theme: try document.resolve(), entry: entry, warnings: warnings)
  }

  private func document(_ entry: Entry, chain: [Entry], warnings: inout [ConfigWarning])
    throws(ConfigError) -> ThemeDocument
  {
    guard let path = entry.path else { return ThemeDocument(.dark) }
    let toml = try TOMLNode.load(path: path)
    let own = try ThemeDocument(toml: toml, name: entry.name, origin: path, warnings: &warnings)
    guard let parentName = own.inherits else { return own }
    let chain = chain + [entry]
    // A theme may inherit from one of its own name further down (a user's dark over the
    // shipped dark); never from itself or from a theme already on the chain.
    let parent: Entry
    if Self.isPath(parentName) {
      let base = URL(fileURLWithPath: path).deletingLastPathComponent()
      let url = URL(fileURLWithPath: parentName, relativeTo: base).standardizedFileURL
      parent = Entry(
        name: url.deletingPathExtension().lastPathComponent, path: url.path, source: .path)
    } else if let found = entries.first(where: { e in
      e.name == parentName && !chain.contains { $0.path == e.path }
    }) {
      parent = found
    } else if let looped = chain.first(where: { $0.name == parentName }) {
      parent = looped
    } else {
      throw ConfigError(
        "\(path): inherits unknown theme '\(parentName)'"
          + NearestName.hint(parentName, among: names))
    }
    if chain.contains(where: { $0.path == parent.path && $0.name == parent.name }) {
      let names = (chain + [parent]).map(\.name).joined(separator: " → ")
      throw ConfigError("\(path): inheritance cycle: \(names)")
    }
    return own.merged(over: try document(parent, chain: chain, warnings: &warnings))
  }
}

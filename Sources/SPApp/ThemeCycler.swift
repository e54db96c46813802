import SPConfig
import SPDashboard

/// The dashboard's theme and the `t` key: the next theme of the catalog, live; a theme that
/// fails to load leaves the current one and says why in the status line.
public struct ThemeCycler {
  let catalog: ThemeCatalog
  /// False when the terminal shows no colours: themes are shown by their attributes alone.
  let colors: Bool
  public private(set) var theme: Theme
  private var names: [String]
  private var index: Int
  private var message: String?
  private var messageUntil = 0.0
  /// Themes already loaded, by name: each file is read once per session (TOMLKit leaks what
  /// it parses, so reading a theme at every `t` made a long session grow).
  private var loadedThemes: [String: (theme: Theme, note: String)] = [:]

  public init(catalog: ThemeCatalog, start: ThemeCatalog.Loaded, colors: Bool) {
    self.catalog = catalog
    self.colors = colors
    theme = colors ? start.theme : start.theme.withoutColors()
    names = catalog.names
    if let i = names.firstIndex(of: start.entry.name), start.entry.source != .path {
      index = i
    } else {
      names.insert(start.entry.name, at: 0)
      index = 0
    }
  }

  /// Moves to the next theme; on failure keeps the theme and shows the error (the next `t`
  /// tries the one after).
  public mutating func next(now: Double) {
    guard !names.isEmpty else { return }
    index = (index + 1) % names.count
    let name = names[index]
    if let cached = loadedThemes[name] {
      theme = cached.theme
      show("theme \(name) (\(index + 1)/\(names.count))\(cached.note)", now: now, seconds: 2)
      return
    }
    do {
      let loaded = try catalog.load(name)
      theme = colors ? loaded.theme : loaded.theme.withoutColors()
      let note = loaded.warnings.first.map { ": warning: \($0.message)" } ?? ""
      loadedThemes[name] = (theme, note)
      show("theme \(name) (\(index + 1)/\(names.count))\(note)", now: now, seconds: 2)
    } catch {
      show("theme \(name): \(error.message)", now: now, seconds: 6)
    }
  }

  /// Shows `text` in the status line for `seconds`.
  mutating func show(_ text: String, now: Double, seconds: Double) {
    message = text
    messageUntil = now + seconds
  }

  /// The status-line message at time `now`, nil once it has expired.
  public func message(at now: Double) -> String? { now < messageUntil ? message : nil }
}

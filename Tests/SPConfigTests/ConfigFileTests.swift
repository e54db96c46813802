import SPConfig
import SPDashboard
import SPEngine
import SPTUI
import Testing

/// The configuration file: settings as flag text, and `[keys]` reaching the help and footer.
@Suite struct ConfigFileTests {
  @Test func settingsBecomeFlagText() throws {
    let text = """
      theme = "nord"
      fps = 60
      eta = 0.002
      models = ["vanilla", "linear"]
      json = true
      """
    let config = try ConfigFile.parse(
      text, path: "c.toml", knownKeys: ["theme", "fps", "eta", "models", "json"])
    #expect(config.warnings.isEmpty)
    #expect(config.settings["theme"] == .text("nord"))
    #expect(config.settings["fps"] == .text("60"))
    #expect(config.settings["eta"] == .text("0.002"))
    #expect(config.settings["models"] == .text("vanilla,linear"))
    #expect(config.settings["json"] == .flag(true))
  }

  @Test func keyNamesAsTheHelpShowsThem() {
    let names: [String: Key] = [
      "Space": .character(" "), "Tab": .tab, "Shift-Tab": .backTab, "Esc": .escape,
      "Ctrl-C": .control("c"), "ctrl-x": .control("x"), "F1": .function(1), "F12": .function(12),
      "a": .character("a"), "A": .character("A"), "+": .character("+"), "↑": .up, "Up": .up,
      "PgDn": .pageDown, "Enter": .enter,
    ]
    for (name, key) in names { #expect(KeyMap.key(named: name) == key, "\(name)") }
    for bad in ["", "Sapce", "Ctrl-", "Ctrl-1", "F13"] { #expect(KeyMap.key(named: bad) == nil) }
    // Every name the help writes reads back as its key.
    for key in KeyMap.standard.bindings.keys {
      #expect(KeyMap.key(named: KeyMap.name(of: key)) == key, "\(key)")
    }
  }

  @Test func aReboundKeyIsTakenFromItsDefaultAction() throws {
    let config = try ConfigFile.parse(
      "[keys]\nstep = [\"a\", \"n\"]\n", path: "c.toml", knownKeys: [])
    let map = config.keyMap
    #expect(map.keys(for: .step) == [.character("a"), .character("n")])
    #expect(map.keys(for: .focusNext) == [.tab])
    #expect(map.action(for: .character("s")) == nil)
  }

  /// A session snapshot to draw (the dashboard shows help only over a running session).
  static func snapshot() throws -> SessionSnapshot {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 20), publishInterval: 0.01, stopsWhenDone: true)
    session.start()
    session.waitUntilFinished()
    return try #require(session.snapshot)
  }

  @Test func theHelpOverlayAndFooterShowTheBoundKeys() throws {
    let config = try ConfigFile.parse(
      "[keys]\nquit = [\"x\", \"Ctrl-Q\"]\ntheme = \"F5\"\nhelp = [\"h\", \"?\"]\n",
      path: "c.toml", knownKeys: [])
    let snapshot = try Self.snapshot()
    var buffer = Buffer(width: 100, height: 40)
    DashboardView(
      snapshot: snapshot, state: DashboardState(showHelp: true), keyMap: config.keyMap
    ).render(in: buffer.area, into: &buffer)
    let screen = buffer.lines.joined(separator: "\n")
    let helpLine = { (summary: String) in buffer.lines.first { $0.contains(summary) } ?? "" }
    #expect(helpLine("quit").contains("x Ctrl-Q"), "\(screen)")
    #expect(!helpLine("quit").contains("Esc"), "\(screen)")
    #expect(helpLine("next colour theme").contains("F5"), "\(screen)")
    #expect(helpLine("this help").contains("h ?"), "\(screen)")
    let footer = buffer.lines.last ?? ""
    #expect(footer.contains("x Quit") && footer.contains("h Help"), "\(footer)")
  }
}

/// The theme key asks the UI loop for the next theme.
@Suite struct ThemeKeyTests {
  @Test func tAsksTheLoopForTheNextTheme() {
    var s = DashboardState()
    #expect(s.update(with: .character("t"), keyMap: .standard, modelCount: 3) == [.cycleTheme])
    #expect(
      KeyMap.standard.helpEntries.contains { $0.keys == "t" && $0.description.contains("theme") })
  }
}

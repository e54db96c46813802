import Foundation
import SPConfig
import SPDashboard
import SPTUI
import SPTestSupport
import Testing

/// Each kind of bad theme or configuration file, and the one line it gives.
@Suite struct BadFileTests {
  /// A catalog of theme files written into `dir` for one test.
  static func catalog(in dir: TemporaryFolder, _ files: [String: String]) throws -> ThemeCatalog {
    for (name, text) in files {
      try text.write(to: dir.url(name), atomically: true, encoding: .utf8)
    }
    return ThemeCatalog(directories: [(.user, dir.url)])
  }

  static func error(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as ConfigError {
      return error.message
    } catch {
      return "not a ConfigError: \(error)"
    }
  }

  @Test func invalidTOMLGivesFileLineAndColumn() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir, ["broken.toml": "inherits = \"dark\"\n[roles\ntext = 1\n"]
    )
    let message = try #require(Self.error { _ = try catalog.load("broken") })
    #expect(message.hasPrefix(dir.url("broken.toml").path + ":2:"), "\(message)")
    #expect(message.contains("invalid TOML"))
    #expect(!message.contains("\n"))
    let config = try #require(
      Self.error {
        _ = try ConfigFile.parse("fps = 30\neta = = 2\n", path: "config.toml", knownKeys: ["eta"])
      })
    #expect(config.hasPrefix("config.toml:2:"), "\(config)")
  }

  @Test func unknownRoleWarnsWithTheNearestNameAndTheRestApplies() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir,
      [
        "mine.toml": "inherits = \"dark\"\n[roles]\nacent = \"red\"\ntext = \"blue\"\n"
      ])
    let loaded = try catalog.load("mine")
    #expect(loaded.warnings.count == 1)
    #expect(loaded.warnings[0].message.contains("unknown role 'acent' (did you mean 'accent'?)"))
    #expect(loaded.theme.text.foreground == .blue)
    #expect(loaded.theme.accent == Theme.dark.accent)
  }

  @Test func invalidColourNamesTheRoleAndTheValue() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir,
      [
        "bad.toml": "inherits = \"dark\"\n[roles]\nwarning = { fg = \"#12345g\", bold = true }\n",
        "typo.toml":
          "inherits = \"dark\"\n[palette]\nember = \"#f60\"\n[roles]\nalarm = \"embr\"\n",
      ])
    let bad = try #require(Self.error { _ = try catalog.load("bad") })
    #expect(bad.contains("role 'warning'") && bad.contains("'#12345g'"), "\(bad)")
    let typo = try #require(Self.error { _ = try catalog.load("typo") })
    #expect(typo.contains("role 'alarm'") && typo.contains("'embr'"), "\(typo)")
    #expect(typo.contains("did you mean 'ember'?"), "\(typo)")
  }

  @Test func anUnusedPaletteEntryMustStillBeAColour() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir,
      [
        "spare.toml": "inherits = \"dark\"\n[palette]\nember = \"#f60\"\nash = \"#12345g\"\n",
        "loop.toml": "inherits = \"dark\"\n[palette]\na = \"b\"\nb = \"a\"\n",
        "chain.toml": "inherits = \"dark\"\n[palette]\na = \"b\"\nb = \"#f60\"\n",
      ])
    let spare = try #require(Self.error { _ = try catalog.load("spare") })
    #expect(spare.contains("palette colour 'ash'") && spare.contains("'#12345g'"), "\(spare)")
    let loop = try #require(Self.error { _ = try catalog.load("loop") })
    #expect(loop.contains("palette colour 'a'"), "\(loop)")
    // A cycle is named as one, never as an unknown colour that suggests itself.
    #expect(loop.contains("cycle: 'b' → 'a' → 'b'"), "\(loop)")
    #expect(!loop.contains("did you mean"), "\(loop)")
    #expect(try catalog.load("chain").warnings.isEmpty)
  }

  @Test func missingRolesCycleAndUnknownParentsAreRefused() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir,
      [
        "bare.toml": "[roles]\ntext = \"red\"\n",
        "a.toml": "inherits = \"b\"\n", "b.toml": "inherits = \"a\"\n",
        "orphan.toml": "inherits = \"drak\"\n",
      ])
    let bare = try #require(Self.error { _ = try catalog.load("bare") })
    #expect(bare.contains("does not define roles muted"), "\(bare)")
    let cycle = try #require(Self.error { _ = try catalog.load("a") })
    #expect(cycle.contains("inheritance cycle: a → b → a"), "\(cycle)")
    let orphan = try #require(Self.error { _ = try catalog.load("orphan") })
    #expect(orphan.contains("unknown theme 'drak' (did you mean 'dark'?)"), "\(orphan)")
    let unknown = try #require(Self.error { _ = try catalog.load("nrod") })
    #expect(unknown.hasPrefix("unknown theme 'nrod'"), "\(unknown)")
  }

  @Test func aUserThemeMayInheritTheShippedOneOfItsOwnName() throws {
    let dir = try TemporaryFolder("themes")
    defer { withExtendedLifetime(dir) {} }
    let catalog = try Self.catalog(
      in: dir, ["dark.toml": "inherits = \"dark\"\n[roles]\ntext = 1\n"])
    let loaded = try catalog.load("dark")
    #expect(loaded.entry.source == .user)
    #expect(loaded.theme.text.foreground == .red)
    #expect(loaded.theme.alarm == Theme.dark.alarm)
  }

  @Test func unknownSettingAndActionWarnWithTheNearestName() throws {
    let text = """
      thme = "nord"
      fps = 20
      [keys]
      qiut = "x"
      pause = ["Sapce", "p"]
      """
    let config = try ConfigFile.parse(text, path: "c.toml", knownKeys: ["theme", "fps"])
    let messages = config.warnings.map(\.message)
    #expect(
      messages.contains("c.toml: unknown setting 'thme' (did you mean 'theme'?)"), "\(messages)")
    #expect(messages.contains { $0.contains("unknown action 'qiut' (did you mean 'quit'?)") })
    #expect(messages.contains { $0.contains("unknown key name 'Sapce' (did you mean 'Space'?)") })
    #expect(config.settings["fps"] == .text("20"))
    #expect(config.keyMap.action(for: .character("p")) == .togglePause)
    #expect(config.keyMap.action(for: .character(" ")) == nil)
  }

  @Test func twoActionsOnOneKeyAreRefusedWithBothNames() {
    let message = Self.error {
      _ = try ConfigFile.parse(
        "[keys]\nstep = [\"x\"]\nreset = [\"R\", \"x\"]\n", path: "c.toml", knownKeys: [])
    }
    #expect(message == "c.toml: [keys]: key 'x' is bound to two actions: 'reset' and 'step'")
  }

  @Test func quitKeepsAKey() {
    let message = Self.error {
      _ = try ConfigFile.parse("[keys]\nquit = []\n", path: "c.toml", knownKeys: [])
    }
    #expect(message?.contains("'quit' would be left without a key") == true)
  }

  @Test func wrongTypesAreRefused() {
    let table = Self.error {
      _ = try ConfigFile.parse("[eta]\nx = 1\n", path: "c.toml", knownKeys: ["eta"])
    }
    #expect(table == "c.toml: 'eta' must be a string, number or boolean, not a table")
    let missing = Self.error { _ = try ConfigFile.load(path: "/nonexistent/c.toml", knownKeys: []) }
    #expect(missing == "/nonexistent/c.toml: no such file")
  }
}

import Foundation
import SPConfig
import SPDashboard
import SPTUI
import Testing

/// The themes in `themes/`: each parses, sets every role, and keeps its marks without colour.
@Suite struct ShippedThemeTests {
  static let themesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes")

  static let catalog = ThemeCatalog(directories: [(.shipped, themesDirectory)])

  static let shippedNames = ["dark", "light", "gruvbox", "nord", "high-contrast", "monochrome"]

  @Test func theRequiredThemesAreShipped() {
    let names = Self.catalog.entries.filter { $0.source == .shipped }.map(\.name)
    for name in Self.shippedNames { #expect(names.contains(name), "themes/\(name).toml") }
  }

  @Test(arguments: shippedNames) func parsesWithoutWarningsAndDefinesEveryRole(name: String)
    throws
  {
    let loaded = try Self.catalog.load(name)
    #expect(loaded.entry.source == .shipped)
    #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
    // Every role is set in the file or inherited: resolve() refuses a missing one, and the
    // document of the file alone plus its parent covers all of them.
    let toml = try TOMLNode.load(path: loaded.entry.path!)
    var warnings: [ConfigWarning] = []
    let own = try ThemeDocument(toml: toml, name: name, origin: name, warnings: &warnings)
    let roles = Set(own.roles.keys)
    if own.inherits == nil {
      #expect(roles == Set(Theme.Role.allCases), "\(name) sets every role itself")
      #expect(own.background != nil)
    } else {
      let parent = try Self.catalog.load(own.inherits!).theme
      for role in Theme.Role.allCases where !roles.contains(role) {
        #expect(loaded.theme[role].foreground == parent[role].foreground, "\(name): \(role)")
        #expect(loaded.theme[role].attributes == parent[role].attributes, "\(name): \(role)")
      }
    }
    // One series colour per architecture of today and of those announced, all distinct.
    if name != "monochrome" {
      let colors = Theme.knownSeries.map {
        loaded.theme.seriesColor(architecture: $0, index: 0)
      }
      #expect(Set(colors).count == colors.count, "\(name): \(colors)")
      #expect(!loaded.theme.fallbackSeries.isEmpty)
    }
  }

  @Test(arguments: shippedNames) func withoutColorsKeepsEveryRoleAndItsMarks(name: String)
    throws
  {
    let theme = try Self.catalog.load(name).theme
    let plain = theme.withoutColors()
    for role in Theme.Role.allCases {
      #expect(plain[role].foreground == .default && plain[role].background == .default)
      #expect(plain[role].attributes == theme[role].attributes)
    }
    #expect(plain.background == .default)
    // Focus, selection, titles and alarms still stand out with colours off.
    for role: Theme.Role in [.focusedBorder, .title, .selection, .alarm] {
      #expect(!plain[role].attributes.isEmpty, "\(name): \(role) has an attribute")
    }
    #expect(plain.alarm.attributes.contains(.reverse) || plain.alarm.attributes.contains(.bold))
  }

  @Test func darkFileIsTheCompiledInTheme() throws {
    #expect(try Self.catalog.load("dark").theme == Theme.dark)
  }

  @Test func theCompiledInThemeIsThereWithoutAnyFolder() throws {
    let empty = ThemeCatalog(directories: [])
    #expect(empty.names == ["dark"])
    let loaded = try empty.load("dark")
    #expect(loaded.entry.source == .builtIn && loaded.theme == Theme.dark)
  }

  @Test func autoFollowsCOLORFGBG() {
    #expect(ThemeCatalog.autoThemeName(environment: [:]) == "dark")
    #expect(ThemeCatalog.autoThemeName(environment: ["COLORFGBG": "15;0"]) == "dark")
    #expect(ThemeCatalog.autoThemeName(environment: ["COLORFGBG": "0;15"]) == "light")
    #expect(ThemeCatalog.autoThemeName(environment: ["COLORFGBG": "0;default;7"]) == "light")
    #expect(ThemeCatalog.autoThemeName(environment: ["COLORFGBG": "garbage"]) == "dark")
  }

  @Test func shippedThemesAreFoundNextToABuiltExecutable() {
    let exe = Self.themesDirectory.deletingLastPathComponent()
      .appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/sptop")
    let dirs = ThemeCatalog.shippedDirectories(executable: exe).map(\.standardizedFileURL.path)
    #expect(dirs.contains(Self.themesDirectory.standardizedFileURL.path))
    let installed = URL(fileURLWithPath: "/usr/local/bin/sptop")
    #expect(
      ThemeCatalog.shippedDirectories(executable: installed).map(\.path).contains(
        "/usr/local/share/sptop/themes"))
  }
}

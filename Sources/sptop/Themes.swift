import ArgumentParser
import Foundation
import SPConfig
import SPCurses
import SPDashboard
import SPTUI

/// `sptop themes`: every theme found, where it came from, and a swatch of its colours.
struct Themes: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the colour themes found, where each comes from, and a swatch of each.")

  @OptionGroup var display: DisplayOptions
  @OptionGroup var configOption: ConfigOption

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let catalog = ThemeCatalog.standard(environment: environment)
    let isTerminal = isatty(STDOUT_FILENO) == 1
    let colors = ColorReducer.wantsColor(
      display.colorMode, isTerminal: isTerminal, environment: environment)
    // Escape sequences only for a terminal, or when colours were asked for (`--color always`):
    // a pipe or a file gets plain text.
    let styled = colors || isTerminal
    let palette = ColorReducer.palette(environment: environment) ?? .ansi16
    let reducer = colors ? ColorReducer(palette: palette) : nil
    let width = max(12, (catalog.entries.map(\.name.count).max() ?? 0) + 2)
    var shown = Set<String>()
    var out = ""
    for entry in catalog.entries {
      let hidden = !shown.insert(entry.name).inserted
      let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
      let source = entry.source.label.padding(toLength: 10, withPad: " ", startingAt: 0)
      out += "\(name)\(source)\(entry.path ?? "compiled into sptop")"
      out += hidden ? "  (hidden by the one above)\n" : "\n"
      do {
        let loaded = try catalog.load(entry)
        let theme = reducer == nil ? loaded.theme.withoutColors() : loaded.theme
        out += "  " + Self.swatch(theme, reducer: reducer, styled: styled) + "\n"
        for warning in loaded.warnings { out += "  warning: \(warning.message)\n" }
      } catch {
        out += "  error: \(error.message)\n"
      }
    }
    print(out, terminator: "")
  }

  /// One line in the theme's own colours: each role's name in its style, then each series;
  /// the same text without any escape sequence when not `styled`.
  static func swatch(_ theme: Theme, reducer: ColorReducer?, styled: Bool = true) -> String {
    var line = ""
    func add(_ text: String, _ style: Style) {
      var s = style
      if s.background == .default { s.background = theme.background }
      line += (styled ? ColorReducer.sgr(s, reducer: reducer) : "") + text
    }
    let plain = Style(background: theme.background)
    for role in Theme.Role.allCases {
      add(role.rawValue, theme[role])
      add(" ", plain)
    }
    add("│", theme.border)
    for (i, name) in ["vanilla", "penalized", "linear"].enumerated() {
      add(" ", plain)
      add("━━ " + name, Style(foreground: theme.seriesColor(architecture: name, index: i)))
    }
    add(" ", plain)
    for (i, color) in theme.fallbackSeries.enumerated() {
      add(i == 0 ? "━━" : " ━━", Style(foreground: color))
    }
    return line + (styled ? ColorReducer.sgrReset : "")
  }
}

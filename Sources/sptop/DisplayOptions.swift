import ArgumentParser
import Foundation
import SPConfig
import SPCurses
import SPDashboard
import SPEngine

/// `--config PATH`: the configuration file to read instead of the user's `config.toml`.
struct ConfigOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Configuration file (default: $XDG_CONFIG_HOME/sptop/config.toml).", valueName: "path"))
  var config: String?
}

/// The look of the dashboard: `--theme` and `--color`.
struct DisplayOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Colour theme: a name (see `sptop themes`), a .toml file, or auto (light or dark from "
        + "COLORFGBG).", valueName: "name|path|auto"))
  var theme: String = "dark"

  @Option(help: ArgumentHelp("Colours: auto (off when NO_COLOR is set), always or never."))
  var color = Choice(ColorMode.auto)

  func validate() throws {
    _ = try color.value(flag: "--color")
  }

  var colorMode: ColorMode { (try? color.value(flag: "--color")) ?? .auto }

  /// The theme `--theme` names (`auto` picks light or dark), loaded from `catalog`; its
  /// warnings go to stderr. A theme that cannot load is a one-line failure.
  func loadTheme(
    _ catalog: ThemeCatalog,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> ThemeCatalog.Loaded {
    let name = theme == "auto" ? ThemeCatalog.autoThemeName(environment: environment) : theme
    do {
      let loaded = try catalog.load(name)
      for warning in loaded.warnings { Diagnostics.warn(warning.message) }
      return loaded
    } catch {
      throw CommandFailure(message: "--theme: \(error.message)")
    }
  }
}

/// One-line notes on stderr, with any control characters in echoed text escaped.
enum Diagnostics {
  static func warn(_ message: String) {
    error("warning: \(message)")
  }

  /// `sptop: MESSAGE` and a newline.
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("sptop: \(OneLine.escaped(message))\n".utf8))
  }
}

/// What the dashboard looks like and listens to: the theme catalog, the starting theme and the
/// key map, all checked before the screen opens.
struct DashboardLook {
  var catalog: ThemeCatalog
  var theme: ThemeCatalog.Loaded
  var keyMap: KeyMap
}

extension DisplayOptions {
  /// Loads the theme and the configuration file's keys; a failure is one line, before the
  /// screen opens.
  func look(configPath: String?) throws -> DashboardLook {
    let environment = ProcessInfo.processInfo.environment
    let catalog = ThemeCatalog.standard(environment: environment)
    let theme = try loadTheme(catalog, environment: environment)
    let config: ConfigFile?
    do {
      config = try ConfigLoader.load(explicit: configPath, environment: environment)
    } catch {
      throw CommandFailure(message: error.message)
    }
    return DashboardLook(catalog: catalog, theme: theme, keyMap: config?.keyMap ?? .standard)
  }
}

import SPConfig

/// A setting of the configuration file: its key is the flag's long name, and it applies to the
/// subcommands that take that flag. A new flag is one new line in `ConfigFlags.all`.
struct ConfigFlag {
  /// The subcommands a flag belongs to.
  struct Commands: OptionSet {
    let rawValue: Int
    static let dashboard = Commands(rawValue: 1)
    static let run = Commands(rawValue: 2)
    static let themes = Commands(rawValue: 4)
    static let training: Commands = [.dashboard, .run]
    static let display: Commands = [.dashboard, .themes]
  }

  var key: String
  var commands: Commands

  init(_ key: String, _ commands: Commands) {
    self.key = key
    self.commands = commands
  }
}

/// The settings `config.toml` may hold: every flag of the dashboard and of `sptop run`.
enum ConfigFlags {
  static let all: [ConfigFlag] = [
    ConfigFlag("theme", .display),
    ConfigFlag("color", .display),
    ConfigFlag("fps", .dashboard),
    ConfigFlag("pace", .dashboard),
    ConfigFlag("smoothing", .dashboard),
    ConfigFlag("models", .training),
    ConfigFlag("n", .training),
    ConfigFlag("seed", .training),
    ConfigFlag("eta", .training),
    ConfigFlag("batch", .training),
    ConfigFlag("iterations", .training),
    ConfigFlag("optimizer", .training),
    ConfigFlag("penalty-weight", .training),
    ConfigFlag("init", .training),
    ConfigFlag("target", .training),
    ConfigFlag("width", .training),
    ConfigFlag("json", .run),
  ]

  static var keys: [String] { all.map(\.key) }
}

import Foundation
import SPConfig

/// Reads the configuration file before the command line is parsed and puts its settings in
/// front of the user's own flags, so the flags win (the last occurrence of an option counts).
enum ConfigLoader {
  /// The command line with the file's defaults inserted, and the file, if one was read.
  struct Prepared {
    var arguments: [String]
    var config: ConfigFile?
    /// Flags that came from the file and not from the command line, for error messages.
    var fromFile: [String]
  }

  static let subcommands: [String: ConfigFlag.Commands] = [
    "dashboard": .dashboard, "run": .run, "themes": .themes,
  ]

  /// Prepares `arguments` (without the program name). Bench and help get no settings.
  static func prepare(
    _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ConfigError) -> Prepared {
    var insertAt = 0
    var command: ConfigFlag.Commands = .dashboard
    if let first = arguments.first, !first.hasPrefix("-") {
      guard let named = subcommands[first] else {
        return Prepared(arguments: arguments, config: nil, fromFile: [])
      }
      command = named
      insertAt = 1
    }
    guard let config = try load(explicit: explicitPath(arguments), environment: environment)
    else {
      return Prepared(arguments: arguments, config: nil, fromFile: [])
    }
    var inserted: [String] = []
    var fromFile: [String] = []
    // A fork takes its training settings from its parent: only flags given change them.
    let forking = arguments.contains { $0 == "--fork" || $0.hasPrefix("--fork=") }
    for flag in ConfigFlags.all where !flag.commands.isDisjoint(with: command) {
      if forking && flag.commands == .training { continue }
      guard let value = config.settings[flag.key] else { continue }
      let name = "--" + flag.key
      if !arguments.contains(where: { $0 == name || $0.hasPrefix(name + "=") }) {
        fromFile.append(name)
      }
      switch value {
      case .text(let text): inserted += [name, text]
      case .flag(true): inserted.append(name)
      case .flag(false): break
      }
    }
    var result = arguments
    result.insert(contentsOf: inserted, at: insertAt)
    return Prepared(arguments: result, config: config, fromFile: fromFile)
  }

  /// The value of `--config PATH` or `--config=PATH`, if given.
  static func explicitPath(_ arguments: [String]) -> String? {
    for (i, arg) in arguments.enumerated() {
      if arg == "--" { break }
      if arg == "--config", i + 1 < arguments.count { return arguments[i + 1] }
      if arg.hasPrefix("--config=") { return String(arg.dropFirst("--config=".count)) }
    }
    return nil
  }

  /// The configuration file a command reads: `--config`'s, else the user's `config.toml` if
  /// there is one (an input no output may overwrite).
  static func path(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    if let explicit { return explicit }
    guard let url = ConfigLocations.configFile(environment: environment),
      FileManager.default.fileExists(atPath: url.path)
    else { return nil }
    return url.path
  }

  /// The file `--config` names (which must exist), else the user's `config.toml` if there is
  /// one; nil when there is none.
  static func load(explicit: String?, environment: [String: String]) throws(ConfigError)
    -> ConfigFile?
  {
    if let explicit {
      return try ConfigFile.load(path: explicit, knownKeys: ConfigFlags.keys)
    }
    guard let url = ConfigLocations.configFile(environment: environment),
      FileManager.default.fileExists(atPath: url.path)
    else { return nil }
    return try ConfigFile.load(path: url.path, knownKeys: ConfigFlags.keys)
  }
}

extension ConfigLoader {
  /// `prepare`, printing the file's warnings; a file that cannot be used ends the process with
  /// one line on stderr and status 1, before anything else happens.
  static func prepareOrExit(_ arguments: [String]) -> Prepared {
    do {
      let prepared = try prepare(arguments)
      for warning in prepared.config?.warnings ?? [] { Diagnostics.warn(warning.message) }
      return prepared
    } catch {
      Diagnostics.error(error.message)
      exit(1)
    }
  }
}

extension ConfigLoader.Prepared {
  /// `message` with the configuration file named when it is about a flag that came from it.
  func annotate(_ message: String) -> String {
    guard let path = config?.path,
      let flag = fromFile.first(where: { flag in
        // "--eta: …", "'--eta <eta>'", and the memory estimate's "--n 5 --width 9 with …".
        [":", " ", "'", "="].contains { message.contains(flag + $0) }
          || message.contains("'\(flag)")
      })
    else { return message }
    return "\(message) (\(flag.dropFirst(2)) is set in \(path))"
  }
}

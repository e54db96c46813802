import Foundation

/// Where sptop's own files live for a user: `$XDG_CONFIG_HOME/sptop`, or `~/.config/sptop`.
public enum ConfigLocations {
  /// The user's sptop folder; nil when neither XDG_CONFIG_HOME nor HOME is set.
  public static func configDirectory(environment: [String: String]) -> URL? {
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
      return URL(fileURLWithPath: xdg).appendingPathComponent("sptop")
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return URL(fileURLWithPath: home).appendingPathComponent(".config/sptop")
  }

  /// The configuration file read when no `--config` is given (it need not exist).
  public static func configFile(environment: [String: String]) -> URL? {
    configDirectory(environment: environment)?.appendingPathComponent("config.toml")
  }
}

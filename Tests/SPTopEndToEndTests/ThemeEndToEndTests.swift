import Foundation
import SPTestSupport
import Testing

/// Themes, colour and the configuration file, through the built binary and tmux. HOME and
/// XDG_CONFIG_HOME point at fresh folders, so the user's own configuration never leaks in.
@Suite(.timeLimit(.minutes(2))) struct ThemeEndToEndTests {
  /// A fresh configuration home; `config` is written as its sptop/config.toml when given.
  static func home(config: String? = nil) throws -> TemporaryFolder {
    let home = try TemporaryFolder("home")
    defer { withExtendedLifetime(home) {} }
    try FileManager.default.createDirectory(
      at: home.url("sptop"), withIntermediateDirectories: true)
    if let config {
      try config.write(to: home.url("sptop/config.toml"), atomically: true, encoding: .utf8)
    }
    return home
  }

  static func environment(_ home: TemporaryFolder) -> [String: String] {
    ["HOME": home.path, "XDG_CONFIG_HOME": home.path]
  }

  /// The colour parameters (30–38, 40–48, 90–97, 100–107) of every SGR escape in `lines`.
  static func colorEscapes(_ lines: [String]) -> [String] {
    var found: [String] = []
    for line in lines {
      var rest = Substring(line)
      while let start = rest.range(of: "\u{1B}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "m") else { break }
        let params = rest[..<end].split(separator: ";", omittingEmptySubsequences: false)
        if params.contains(where: { p in
          guard let n = Int(p) else { return false }
          return (30...38).contains(n) || (40...48).contains(n) || (90...97).contains(n)
            || (100...107).contains(n)
        }) {
          found.append(String(rest[..<end]))
        }
        rest = rest[end...]
      }
    }
    return found
  }

  @Test func tKeyChangesTheColoursOnScreen() throws {
    let home = try Self.home()
    let s = try TmuxSession.sptop(
      ["--iterations", "0", "--theme", "dark"], width: 100, height: 30,
      environment: Self.environment(home), unset: ["NO_COLOR"])
    defer { s.close() }
    try #require(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    s.sendKeys("Space")
    try #require(s.waitFor(text: "PAUSED") != nil)
    let before = Set(Self.colorEscapes(s.capture(escapes: true)))
    #expect(!before.isEmpty, "the dark theme shows colours")
    s.sendKeys("t")
    try #require(s.waitFor(text: "theme gruvbox") != nil)
    let after = Set(Self.colorEscapes(s.capture(escapes: true)))
    #expect(!after.isEmpty && after != before, "before \(before), after \(after)")
    // The help lists the theme key.
    s.sendKeys("?")
    let help = s.waitFor { $0.contains { $0.contains("next colour theme") } }
    #expect(help?.contains { $0.contains("t") && $0.contains("next colour theme") } == true)
    s.sendKeys("Escape", "q")
    #expect(s.waitForExit() == 0)
  }

  @Test func noColorMeansNoColourEscapes() throws {
    let home = try Self.home()
    let s = try TmuxSession.sptop(
      ["--iterations", "0", "--theme", "gruvbox"], width: 100, height: 30,
      environment: Self.environment(home).merging(["NO_COLOR": "1"]) { $1 })
    defer { s.close() }
    try #require(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    let screen = s.capture(escapes: true)
    #expect(Self.colorEscapes(screen).isEmpty, "\(Self.colorEscapes(screen))")
    // Bold and reverse still mark the header badge and the focused row.
    #expect(screen.joined().contains("\u{1B}[1m") || screen.joined().contains(";1m"))
    s.sendKeys("t")
    try #require(s.waitFor(text: "theme high-contrast") != nil)
    #expect(Self.colorEscapes(s.capture(escapes: true)).isEmpty)
    s.sendKeys("q")
    #expect(s.waitForExit() == 0)
  }

  @Test func aConfigFileRebindsKeysAndSetsDefaults() throws {
    let home = try Self.home(
      config: """
        theme = "nord"
        iterations = 0
        [keys]
        quit = ["x"]
        pause = ["p", "Space"]
        """)
    let s = try TmuxSession.sptop(
      [], width: 100, height: 30, environment: Self.environment(home))
    defer { s.close() }
    // A whole frame: the header says RUNNING and the footer row has been drawn too.
    let screen = try #require(
      s.waitFor(timeout: 10) {
        $0.first?.contains("RUNNING") == true && $0.last?.contains("Quit") == true
      })
    #expect(screen.last?.contains("x Quit") == true, "\(screen.last ?? "")")
    // iterations = 0 from the file: the header shows the step alone, with no "/total".
    let header = try #require(screen.first)
    let afterStep = try #require(header.range(of: "step ")).upperBound
    #expect(!header[afterStep...].drop(while: \.isNumber).hasPrefix("/"), "\(header)")
    s.sendKeys("p")
    #expect(s.waitFor(text: "PAUSED") != nil)
    s.sendKeys("q")
    usleep(300_000)
    #expect(s.exitStatus == nil, "q is no longer bound")
    s.sendKeys("x")
    #expect(s.waitForExit() == 0)
  }

  @Test func flagsBeatTheFile() throws {
    let home = try Self.home(config: "n = 3\niterations = 40\nseed = 7\n")
    let env = Self.environment(home)
    let fromFile = try SPTopProcess.run(["run", "--json"], environment: env)
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    let settings =
      try #require(
        try JSONSerialization.jsonObject(with: Data(fromFile.stdout.utf8)) as? [String: Any])[
        "settings"] as? [String: Any]
    #expect(settings?["n"] as? Int == 3 && settings?["seed"] as? Int == 7)
    let flag = try SPTopProcess.run(["run", "--json", "--n", "4"], environment: env)
    let flagSettings =
      try #require(
        try JSONSerialization.jsonObject(with: Data(flag.stdout.utf8)) as? [String: Any])[
        "settings"] as? [String: Any]
    #expect(flagSettings?["n"] as? Int == 4 && flagSettings?["iterations"] as? Int == 40)
  }

  @Test func badFilesStopBeforeTheScreenWithOneLine() throws {
    let home = try Self.home(config: "eta = [1\n")
    let env = Self.environment(home)
    let config = home.file("sptop/config.toml")
    let toml = try SPTopProcess.run([], environment: env)
    #expect(toml.status == 1)
    #expect(toml.stderr.hasPrefix("sptop: \(config):1:"), "\(toml.stderr)")
    #expect(toml.stderr.split(separator: "\n").count == 1)

    let keys = try Self.home(config: "[keys]\nstep = \"x\"\nquit = \"x\"\n")
    let twice = try SPTopProcess.run([], environment: Self.environment(keys))
    #expect(twice.status == 1)
    #expect(twice.stderr.contains("'quit' and 'step'"), "\(twice.stderr)")

    let theme = try SPTopProcess.run(
      ["--theme", "nrod"], environment: env.merging(["XDG_CONFIG_HOME": "/nonexistent"]) { $1 })
    #expect(theme.status == 1)
    #expect(
      theme.stderr
        == "sptop: --theme: unknown theme 'nrod' (did you mean 'nord'?); themes: dark, gruvbox, high-contrast, light, monochrome, nord\n"
    )
    let clean = try Self.home()
    let color = try SPTopProcess.run(
      ["--color", "sometimes"], environment: Self.environment(clean))
    #expect(color.status == 64 && color.stderr.split(separator: "\n").count == 1)
  }

  @Test func themesListsEveryThemeWithASwatch() throws {
    let home = try Self.home()
    let themes = home.url("sptop/themes")
    try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
    try "inherits = \"dark\"\n[roles]\naccent = \"magenta\"\n".write(
      to: themes.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
    let out = try SPTopProcess.run(
      ["themes", "--color", "always"],
      environment: Self.environment(home).merging(["TERM": "xterm-256color", "COLORTERM": ""]) {
        $1
      })
    #expect(out.status == 0, "\(out.stderr)")
    for name in ["dark", "light", "gruvbox", "nord", "high-contrast", "monochrome"] {
      #expect(out.stdout.contains("\(name) ") && out.stdout.contains("themes/\(name).toml"))
    }
    #expect(out.stdout.contains("mine") && out.stdout.contains("user"))
    #expect(out.stdout.contains("\u{1B}[0;1;38;5;"), "256-colour swatches")
    let plain = try SPTopProcess.run(
      ["themes", "--color", "never"], environment: Self.environment(home))
    #expect(Self.colorEscapes([plain.stdout]).isEmpty)
    // Into a pipe (as `sptop themes | cat`): no escape sequence at all, attributes included.
    for mode in [["--color", "never"], ["--color", "auto"], []] {
      let piped = try SPTopProcess.run(["themes"] + mode, environment: Self.environment(home))
      #expect(piped.status == 0 && !piped.stdout.contains("\u{1B}"), "\(mode): \(piped.stdout)")
      #expect(piped.stdout.contains("  text muted border"))
    }
  }
}

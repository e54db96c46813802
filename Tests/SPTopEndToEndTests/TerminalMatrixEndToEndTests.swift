import Foundation
import SPTestSupport
import Testing

/// The dashboard under every kind of terminal: the TERMs people have, one that cannot move the
/// cursor, an unknown one, none, stdin or stdout not a terminal, and LANG=C beside UTF-8. Each
/// works with the glyphs and colours it can show (read back with `capture-pane -e`), or says in
/// one line why it cannot.
@Suite(.timeLimit(.minutes(3))) struct TerminalMatrixEndToEndTests {
  /// Whether a terminfo entry is installed (`infocmp NAME` succeeds).
  static func hasTerminfo(_ name: String) -> Bool {
    Launch.runAndWait(["infocmp", name]).status == 0
  }

  /// The SGR parameter lists of every escape on the screen.
  static func sgr(_ lines: [String]) -> [[Int]] {
    var found: [[Int]] = []
    for line in lines {
      var rest = Substring(line)
      while let start = rest.range(of: "\u{1B}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "m") else { break }
        found.append(rest[..<end].split(separator: ";").compactMap { Int($0) })
        rest = rest[end...]
      }
    }
    return found
  }

  /// How a terminal shows colours: 256-colour (38;5;N / 48;5;N), 8/16 colours (30–37, 40–47,
  /// 90–97, 100–107), or none.
  enum Colors: String, Sendable {
    case palette256, ansi, none
  }

  static func colors(_ lines: [String]) -> (has256: Bool, hasANSI: Bool, attributes: Set<Int>) {
    var has256 = false
    var hasANSI = false
    var attributes = Set<Int>()
    for params in sgr(lines) {
      var i = 0
      while i < params.count {
        let p = params[i]
        if (p == 38 || p == 48) && i + 2 < params.count && params[i + 1] == 5 {
          has256 = true
          i += 3
          continue
        }
        if (30...37).contains(p) || (40...47).contains(p) || (90...97).contains(p)
          || (100...107).contains(p)
        {
          hasANSI = true
        }
        if [1, 2, 4, 7].contains(p) { attributes.insert(p) }
        i += 1
      }
    }
    return (has256, hasANSI, attributes)
  }

  static func isBraille(_ s: Unicode.Scalar) -> Bool { (0x2800...0x28FF).contains(s.value) }

  @Test(arguments: [
    ("xterm-256color", Colors.palette256), ("screen-256color", .palette256),
    ("tmux-256color", .palette256), ("xterm", .ansi), ("linux", .ansi), ("vt100", .none),
  ])
  func dashboardWorksUnder(term: String, colors expected: Colors) throws {
    guard Self.hasTerminfo(term) else {
      try Test.cancel("terminfo entry '\(term)' is not installed (Debian: ncurses-base); skipped")
    }
    for lang in ["C.UTF-8", "C"] {
      let s = try TmuxSession.sptop(
        ["--iterations", "0", "--theme", "dark"], width: 100, height: 30,
        environment: ["TERM": term, "LANG": lang, "LC_ALL": lang], unset: ["NO_COLOR"])
      defer { s.close() }
      let screen = try #require(
        s.waitFor(timeout: 10, "\(term), LANG=\(lang): RUNNING") {
          $0.first?.contains("RUNNING") == true && $0.contains { $0.contains("homogeneity") }
        })
      s.sendKeys("Space")
      #expect(s.waitFor(text: "PAUSED") != nil)
      let text = screen.joined()
      if lang == "C" {
        #expect(
          text.unicodeScalars.allSatisfy { $0.isASCII }, "\(term), LANG=C: ASCII only\n\(screen)")
        #expect(text.contains("lambda") && text.contains("eta"))
      } else {
        #expect(
          text.unicodeScalars.contains(where: Self.isBraille) && text.contains("λ")
            && (text.contains("┌") || text.contains("━")),
          "\(term), UTF-8: braille, λ and box drawing\n\(screen)")
      }
      let seen = Self.colors(s.capture(escapes: true))
      switch expected {
      case .palette256:
        #expect(seen.has256, "\(term): 256-colour escapes")
      case .ansi:
        #expect(seen.hasANSI && !seen.has256, "\(term): 8/16-colour escapes only")
      case .none:
        #expect(!seen.hasANSI && !seen.has256, "\(term): no colour at all")
        #expect(
          seen.attributes.contains(7) || seen.attributes.contains(1),
          "\(term): reverse or bold still mark the header and focus")
      }
      s.sendKeys("q")
      #expect(s.waitForExit(timeout: 5) == 0, "\(term), LANG=\(lang) quits with 0")
      #expect(s.sttyAfter == s.sttyBefore)
    }
  }

  /// Terminals sptop cannot draw on: one line saying why (on the pane, from stderr), status 1,
  /// and the terminal left as it was.
  @Test(arguments: [
    (
      "TERM=dumb", ["TERM": "dumb"], [String](), "",
      "sptop: terminal type 'dumb' cannot position the cursor; use `sptop run` instead"
    ),
    (
      "an unknown TERM", ["TERM": "sptop-no-such-terminal"], [], "",
      "sptop: unknown terminal type 'sptop-no-such-terminal' (no terminfo entry); try "
        + "TERM=xterm-256color"
    ),
    (
      "TERM unset", [:], ["TERM"], "",
      "sptop: TERM is not set; set it to your terminal's type, e.g. TERM=xterm-256color"
    ),
    (
      "stdout not a terminal", [:], [], " > /dev/null",
      "sptop: stdout is not a terminal; use `sptop run` for headless training"
    ),
    (
      "stdin not a terminal", [:], [], " < /dev/null",
      "sptop: stdin is not a terminal; use `sptop run` for headless training"
    ),
  ])
  func saysInOneLineWhyItCannot(
    _ what: String, environment: [String: String], unset: [String], redirect: String,
    message: String
  ) throws {
    if environment["TERM"] == "dumb" && !Self.hasTerminfo("dumb") {
      try Test.cancel("terminfo entry 'dumb' is not installed; skipped")
    }
    let folder = try TemporaryFolder("term")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.url
    let record = dir.appendingPathComponent("r.jsonl").path
    let line =
      ([SPTopProcess.binary.path, "--iterations", "0", "--record", record]).map(TmuxSession.quote)
      .joined(separator: " ") + redirect
    let s = try TmuxSession(
      "sh -c \(TmuxSession.quote("exec " + line))", width: 100, height: 30,
      environment: environment, unset: unset)
    defer { s.close() }
    #expect(s.waitForExit(timeout: 10) == 1, "\(what)")
    let lines = s.capture().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    #expect(lines == [message], "\(what): \(lines)")
    #expect(s.sttyAfter == s.sttyBefore)
    #expect(!FileManager.default.fileExists(atPath: record), "no empty recording left behind")
  }
}

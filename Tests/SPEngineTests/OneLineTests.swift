import SPEngine
import Testing

/// Messages echo text from files, flags and paths; control characters in it are written out.
@Suite struct OneLineTests {
  @Test func plainTextIsUnchanged() {
    let text = "t.toml: role 'axis': invalid colour 'pola3' (0–255, ✓ ‖x‖ λ)"
    #expect(OneLine.escaped(text) == text)
  }

  @Test(arguments: [
    ("a\nb", "a\\nb"), ("a\rb", "a\\rb"), ("a\tb", "a\\tb"), ("\u{1B}[31m", "\\u{1B}[31m"),
    ("\u{0}", "\\u{0}"), ("x\u{7F}", "x\\u{7F}"), ("\u{85}", "\\u{85}"),
    ("\u{2028}\u{2029}", "\\u{2028}\\u{2029}"), ("\r\n", "\\r\\n"), ("é\u{301}\n", "é\u{301}\\n"),
  ])
  func controlCharactersAreWrittenOut(text: String, expected: String) {
    let escaped = OneLine.escaped(text)
    #expect(escaped == expected)
    #expect(!escaped.contains { $0.isNewline })
  }

  @Test func errorsBuiltFromEchoedTextAreOneLine() {
    let log = LogError("/tmp/a\nb.jsonl", line: 3, "not JSON")
    #expect(log.description == "/tmp/a\\nb.jsonl:3: not JSON")
    let file = LogFileError("--record /tmp/x\ry: permission denied")
    #expect(file.description == "--record /tmp/x\\ry: permission denied")
  }
}

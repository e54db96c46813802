import Testing

@testable import SPCurses
@testable import SPTUI

/// How the backend names what ncurses reads, and the one-line errors of `Terminal.open`.
@Suite struct KeyDecodingTests {
  static let characters: [(UInt32, Key?)] = [
    (3, .control("c")), (9, .tab), (10, .enter), (13, .enter), (27, .escape),
    (8, .backspace), (127, .backspace), (0, .control("@")), (1, .control("a")),
    (26, .control("z")), (28, .control("\\")), (31, .control("_")),
    (32, .character(" ")), (UInt32(UInt8(ascii: "q")), .character("q")),
    (UInt32(UInt8(ascii: "+")), .character("+")), (0x3b7, .character("η")),
    (0x85, nil), (0x9f, nil), (0xa0, .character("\u{a0}")), (0xd800, nil),
    (0x1f600, .character("😀")),
  ]

  @Test(arguments: characters)
  func characterCodes(code: UInt32, expected: Key?) {
    #expect(Terminal.key(forCharacter: code) == expected, "code \(code)")
  }

  // ncurses' key codes (curses.h, octal): KEY_DOWN 0402, KEY_UP 0403, KEY_F0 0410,
  // KEY_BTAB 0541, KEY_SLEFT 0611, KEY_SRIGHT 0622, KEY_RESIZE 0632.
  static let keyCodes: [(Int32, Key?)] = [
    (0o402, .down), (0o403, .up), (0o404, .left), (0o405, .right), (0o406, .home),
    (0o550, .end), (0o523, .pageUp), (0o522, .pageDown), (0o513, .insert), (0o512, .delete),
    (0o541, .backTab), (0o611, .shiftLeft), (0o622, .shiftRight), (0o527, .enter),
    (0o407, .backspace), (0o632, .resize),
    (0o410 + 1, .function(1)), (0o410 + 12, .function(12)), (0o410, nil), (0o777, nil),
  ]

  @Test(arguments: keyCodes)
  func ncursesKeyCodes(code: Int32, expected: Key?) {
    #expect(Terminal.key(forKeyCode: code) == expected, "code \(code)")
  }

  @Test func errorsAreOneLineAndNameTheProgram() {
    let errors: [TerminalError] = [
      .notATerminal(stream: "stdin"), .termNotSet, .unknownTerminal("vt999"),
      .notCursorAddressable("dumb"), .alreadyOpen, .setupFailed("dup failed"),
    ]
    for error in errors {
      let text = error.description
      #expect(text.hasPrefix("sptop: ") && !text.contains("\n"), "\(text)")
    }
    #expect(TerminalError.unknownTerminal("vt999").description.contains("'vt999'"))
    #expect(TerminalError.notATerminal(stream: "stdout").description.contains("stdout"))
  }

  @Test func colorModesParseFromTheirNames() {
    #expect(ColorMode.allCases.map(\.rawValue) == ["auto", "always", "never"])
    #expect(ColorMode(rawValue: "never") == .never)
    #expect(ColorMode(rawValue: "Never") == nil)
  }
}

import SPTUI

/// Plain ANSI escapes (SGR) for text printed outside the curses screen, e.g. `sptop themes`.
extension ColorReducer {
  /// The palette of a terminal as its environment tells: direct colour when COLORTERM is
  /// `truecolor` or `24bit`, 256 colours when TERM says `256color`, none for TERM `dumb` or
  /// unset, the 16 ANSI colours otherwise.
  public static func palette(environment: [String: String]) -> Palette? {
    let colorterm = (environment["COLORTERM"] ?? "").lowercased()
    if colorterm == "truecolor" || colorterm == "24bit" { return .direct }
    let term = environment["TERM"] ?? ""
    if term.isEmpty || term == "dumb" { return nil }
    if term.contains("direct") { return .direct }
    if term.contains("256color") { return .xterm256 }
    return .ansi16
  }

  /// Whether colours are wanted: `always`, or `auto` on a terminal with NO_COLOR unset or empty.
  public static func wantsColor(
    _ mode: ColorMode, isTerminal: Bool, environment: [String: String]
  ) -> Bool {
    switch mode {
    case .always: true
    case .never: false
    case .auto: isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }
  }

  /// The escape that sets `style` (after a reset); `reducer` nil gives attributes only.
  public static func sgr(_ style: Style, reducer: ColorReducer?) -> String {
    var codes = ["0"]
    let a = style.attributes
    if a.contains(.bold) { codes.append("1") }
    if a.contains(.dim) { codes.append("2") }
    if a.contains(.underline) { codes.append("4") }
    if a.contains(.reverse) { codes.append("7") }
    if let reducer {
      if let fg = reducer.sgrColor(style.foreground, background: false) { codes.append(fg) }
      if let bg = reducer.sgrColor(style.background, background: true) { codes.append(bg) }
    }
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  /// The reset escape.
  public static let sgrReset = "\u{1B}[0m"

  /// The SGR parameters of one colour in this palette; nil for the terminal's default.
  public func sgrColor(_ color: Color, background: Bool) -> String? {
    let n = number(for: color)
    guard n >= 0 else { return nil }
    let base = background ? 40 : 30
    switch palette {
    case .ansi8, .ansi16:
      return n < 8 ? String(base + Int(n)) : String(base + 60 + Int(n) - 8)
    case .xterm256:
      return "\(base + 8);5;\(n)"
    case .direct:
      if n < 8 { return String(base + Int(n)) }
      return "\(base + 8);2;\(n >> 16 & 0xFF);\(n >> 8 & 0xFF);\(n & 0xFF)"
    }
  }
}

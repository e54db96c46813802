import SPConfig
import SPCurses
import SPTUI
import Testing

/// Colours as theme files write them, and their reduction truecolor → 256 → 16 → none.
@Suite struct ColorTests {
  static func color(_ text: String, palette: [String: ColorSpec] = [:]) -> Color? {
    ColorSpec.name(text).resolve(palette: palette)
  }

  @Test func everySpellingOfAColour() {
    #expect(Self.color("#ff8700") == .rgb(255, 135, 0))
    #expect(Self.color("#FF8700") == .rgb(255, 135, 0))
    #expect(Self.color("#f80") == .rgb(255, 136, 0))
    #expect(ColorSpec.index(208).resolve(palette: [:]) == .indexed(208))
    #expect(Self.color("208") == .indexed(208))
    #expect(Self.color("red") == .red)
    #expect(Self.color("bright-blue") == .brightBlue)
    #expect(Self.color("brightblue") == .brightBlue)
    #expect(Self.color("default") == .default)
    #expect(
      Self.color("accent", palette: ["accent": .name("hot"), "hot": .name("#f00")])
        == .rgb(255, 0, 0))
  }

  @Test func invalidColoursMeanNone() {
    for bad in ["#ff870", "#gg0000", "purplish", "", "#"] {
      #expect(Self.color(bad) == nil, "\(bad)")
    }
    #expect(ColorSpec.index(256).resolve(palette: [:]) == nil)
    #expect(ColorSpec.index(-1).resolve(palette: [:]) == nil)
    // A palette entry referring to itself ends, with no colour.
    #expect(Self.color("loop", palette: ["loop": .name("loop")]) == nil)
  }

  /// One known colour through every depth: orange #ff8700 is exactly xterm 208; by xterm's
  /// RGB values of the ANSI colours its nearest of the 16 and of the 8 is yellow (205,205,0).
  @Test func reductionFromTruecolorToNone() {
    let orange = Style(foreground: .rgb(0xFF, 0x87, 0x00), attributes: .bold)
    let sgr = { (p: ColorReducer.Palette?) in
      ColorReducer.sgr(orange, reducer: p.map(ColorReducer.init(palette:)))
    }
    #expect(sgr(.direct) == "\u{1B}[0;1;38;2;255;135;0m")
    #expect(sgr(.xterm256) == "\u{1B}[0;1;38;5;208m")
    #expect(sgr(.ansi16) == "\u{1B}[0;1;33m")
    #expect(sgr(.ansi8) == "\u{1B}[0;1;33m")
    #expect(sgr(nil) == "\u{1B}[0;1m")
    // A dark blue-grey goes to the grey ramp (238) and to bright black; backgrounds use the
    // 48 and 10x codes.
    let grey = Style(background: .rgb(0x3B, 0x42, 0x52))
    #expect(
      ColorReducer.sgr(grey, reducer: ColorReducer(palette: .xterm256)) == "\u{1B}[0;48;5;238m")
    #expect(ColorReducer.sgr(grey, reducer: ColorReducer(palette: .ansi16)) == "\u{1B}[0;100m")
  }

  @Test func paletteFromTheEnvironment() {
    #expect(
      ColorReducer.palette(environment: ["COLORTERM": "truecolor", "TERM": "xterm"]) == .direct)
    #expect(ColorReducer.palette(environment: ["COLORTERM": "24bit"]) == .direct)
    #expect(ColorReducer.palette(environment: ["TERM": "tmux-256color"]) == .xterm256)
    #expect(ColorReducer.palette(environment: ["TERM": "xterm"]) == .ansi16)
    #expect(ColorReducer.palette(environment: ["TERM": "dumb"]) == nil)
  }

  @Test func noColorTurnsAutoOffButNotAlways() {
    let off = ["NO_COLOR": "1"]
    #expect(!ColorReducer.wantsColor(.auto, isTerminal: true, environment: off))
    #expect(ColorReducer.wantsColor(.auto, isTerminal: true, environment: ["NO_COLOR": ""]))
    #expect(ColorReducer.wantsColor(.always, isTerminal: false, environment: off))
    #expect(!ColorReducer.wantsColor(.never, isTerminal: true, environment: [:]))
    #expect(!ColorReducer.wantsColor(.auto, isTerminal: false, environment: [:]))
  }
}

import SPCurses
import SPTUI
import Testing

/// The colour reduction of the curses backend on known values: xterm's palette, tmux's nearest
/// 256-colour rule, the ANSI fall-backs and direct colour.
@Suite struct ColorReducerTests {
  static let xterm = ColorReducer(palette: .xterm256)
  static let ansi16 = ColorReducer(palette: .ansi16)
  static let ansi8 = ColorReducer(palette: .ansi8)
  static let direct = ColorReducer(palette: .direct)

  /// (r, g, b) and the xterm-256 entry tmux picks for it.
  static let truecolorToXterm: [((UInt8, UInt8, UInt8), Int32)] = [
    ((255, 0, 0), 196), ((0, 0, 0), 16), ((255, 255, 255), 231), ((128, 128, 128), 244),
    ((95, 135, 175), 67), ((250, 250, 250), 231), ((8, 8, 8), 232), ((238, 238, 238), 255),
    ((0, 255, 0), 46), ((0, 0, 255), 21), ((255, 135, 0), 208), ((100, 100, 100), 241),
    ((10, 20, 30), 233), ((1, 2, 3), 16), ((114, 0, 0), 52), ((115, 0, 0), 88),
    ((200, 30, 140), 162), ((48, 48, 48), 236), ((47, 47, 47), 236),
  ]

  @Test(arguments: truecolorToXterm)
  func truecolorToXterm256(color: (UInt8, UInt8, UInt8), expected: Int32) {
    let (r, g, b) = color
    #expect(Self.xterm.number(for: .rgb(r, g, b)) == expected, "rgb(\(r), \(g), \(b))")
    #expect(ColorReducer.nearestXterm256(r, g, b) == Int(expected))
  }

  @Test func everyPaletteEntryFrom16MapsBackToItself() {
    for index in 16...255 {
      let (r, g, b) = ColorReducer.rgb(ofXterm256: index)
      #expect(ColorReducer.nearestXterm256(r, g, b) == index, "entry \(index): (\(r), \(g), \(b))")
      #expect(Self.xterm.number(for: .rgb(r, g, b)) == Int32(index))
    }
  }

  @Test func paletteValuesMatchXterm() {
    #expect(ColorReducer.rgb(ofXterm256: 0) == (0, 0, 0))
    #expect(ColorReducer.rgb(ofXterm256: 9) == (255, 0, 0))
    #expect(ColorReducer.rgb(ofXterm256: 12) == (92, 92, 255))
    #expect(ColorReducer.rgb(ofXterm256: 16) == (0, 0, 0))
    #expect(ColorReducer.rgb(ofXterm256: 17) == (0, 0, 0x5f))
    #expect(ColorReducer.rgb(ofXterm256: 67) == (0x5f, 0x87, 0xaf))
    #expect(ColorReducer.rgb(ofXterm256: 196) == (255, 0, 0))
    #expect(ColorReducer.rgb(ofXterm256: 231) == (255, 255, 255))
    #expect(ColorReducer.rgb(ofXterm256: 232) == (8, 8, 8))
    #expect(ColorReducer.rgb(ofXterm256: 244) == (128, 128, 128))
    #expect(ColorReducer.rgb(ofXterm256: 255) == (238, 238, 238))
    // Out-of-range indices are clamped to the palette.
    #expect(ColorReducer.rgb(ofXterm256: -5) == (0, 0, 0))
    #expect(ColorReducer.rgb(ofXterm256: 300) == (238, 238, 238))
  }

  @Test func nearestXterm256NeverPicksTheANSIEntries() {
    var seen = Set<Int>()
    for r in stride(from: 0, through: 255, by: 5) {
      for g in stride(from: 0, through: 255, by: 5) {
        for b in stride(from: 0, through: 255, by: 5) {
          seen.insert(ColorReducer.nearestXterm256(UInt8(r), UInt8(g), UInt8(b)))
        }
      }
    }
    #expect(seen.min() == 16)
    #expect(seen.max() == 255)
  }

  @Test func greysGoToTheGreyRampOrTheCubeDiagonal() {
    let cubeGreys: Set = [16, 59, 102, 145, 188, 231]
    for v in 0...255 {
      let n = ColorReducer.nearestXterm256(UInt8(v), UInt8(v), UInt8(v))
      #expect(n >= 232 || cubeGreys.contains(n), "grey \(v) → \(n)")
      let (r, g, b) = ColorReducer.rgb(ofXterm256: n)
      #expect(r == g && g == b, "grey \(v) → \(n), not grey")
      // The ramp is 10 apart and ends at 8 and 238, so no grey is more than 8 levels off.
      #expect(abs(Int(r) - v) <= 8, "grey \(v) → \(n) = \(r)")
    }
  }

  @Test func defaultIsMinusOneInEveryPalette() {
    for reducer in [Self.ansi8, Self.ansi16, Self.xterm, Self.direct] {
      #expect(reducer.number(for: .default) == -1, "\(reducer.palette)")
    }
  }

  @Test func indexedColoursAreKeptBy256() {
    for index in 0...255 {
      #expect(Self.xterm.number(for: .indexed(UInt8(index))) == Int32(index))
    }
  }

  /// (xterm-256 entry, its 16-colour reduction, its 8-colour reduction).
  static let indexedReductions: [(UInt8, Int32, Int32)] = [
    (0, 0, 0), (1, 1, 1), (7, 7, 7), (8, 8, 0), (9, 9, 1), (12, 12, 4), (15, 15, 7),
    (16, 0, 0), (21, 4, 4), (46, 10, 2), (196, 9, 1), (226, 11, 3), (231, 15, 7),
    (232, 0, 0), (255, 7, 7), (67, 8, 6), (208, 3, 3),
  ]

  @Test(arguments: indexedReductions)
  func indexedColoursAreReducedTo16And8(index: UInt8, to16: Int32, to8: Int32) {
    #expect(Self.ansi16.number(for: .indexed(index)) == to16, "\(index) → 16 colours")
    #expect(Self.ansi8.number(for: .indexed(index)) == to8, "\(index) → 8 colours")
  }

  @Test func reductionsStayInsideThePalette() {
    for index in 0...255 {
      let color = Color.indexed(UInt8(index))
      #expect((0..<16).contains(Self.ansi16.number(for: color)), "\(index)")
      #expect((0..<8).contains(Self.ansi8.number(for: color)), "\(index)")
    }
    for v in stride(from: 0, through: 255, by: 15) {
      let color = Color.rgb(UInt8(v), UInt8(255 - v), UInt8(v / 2))
      #expect((0..<16).contains(Self.ansi16.number(for: color)), "\(color)")
      #expect((0..<8).contains(Self.ansi8.number(for: color)), "\(color)")
      #expect((16..<256).contains(Self.xterm.number(for: color)), "\(color)")
    }
  }

  @Test func truecolorToANSI() {
    #expect(Self.ansi16.number(for: .rgb(255, 0, 0)) == 9)
    #expect(Self.ansi8.number(for: .rgb(255, 0, 0)) == 1)
    #expect(Self.ansi16.number(for: .rgb(200, 10, 10)) == 1)
    #expect(Self.ansi16.number(for: .rgb(130, 125, 128)) == 8)
    #expect(Self.ansi16.number(for: .indexed(244)) == 8)
    #expect(Self.ansi8.number(for: .rgb(30, 30, 30)) == 0)
    #expect(Self.ansi16.number(for: .rgb(90, 90, 250)) == 12)
    #expect(ColorReducer.nearestANSI(0, 200, 210, count: 8) == 6)
    #expect(ColorReducer.nearestANSI(255, 255, 255, count: 16) == 15)
    #expect(ColorReducer.nearestANSI(255, 255, 255, count: 8) == 7)
  }

  @Test func directPaletteUsesRGBNumbersAboveTheANSIOnes() {
    let d = Self.direct
    #expect(d.number(for: .rgb(0x12, 0x34, 0x56)) == 0x12_3456)
    #expect(d.number(for: .rgb(255, 255, 255)) == 0xff_ffff)
    #expect(d.number(for: .rgb(255, 0, 0)) == 0xff_0000)
    // Numbers 0–7 are the ANSI colours, so near-black is nudged to 8 (rgb 0,0,8).
    #expect(d.number(for: .rgb(0, 0, 0)) == 8)
    #expect(d.number(for: .rgb(0, 0, 7)) == 8)
    #expect(d.number(for: .rgb(0, 0, 9)) == 9)
    #expect(d.number(for: .rgb(0, 1, 0)) == 0x100)
    // Indexed: 0–7 stay ANSI, the rest become their xterm RGB value.
    for index in 0..<8 {
      #expect(d.number(for: .indexed(UInt8(index))) == Int32(index))
    }
    #expect(d.number(for: .indexed(9)) == 0xff_0000)
    #expect(d.number(for: .indexed(8)) == 0x7f_7f7f)
    #expect(d.number(for: .indexed(67)) == 0x5f_87af)
    #expect(d.number(for: .indexed(196)) == 0xff_0000)
    #expect(d.number(for: .indexed(16)) == 8)
    #expect(d.number(for: .indexed(244)) == 0x80_8080)
    for index in 8...255 {
      #expect(d.number(for: .indexed(UInt8(index))) >= 8, "\(index)")
    }
  }

  @Test func paletteFromColourCount() {
    let cases: [(Int, ColorReducer.Palette?)] = [
      (-1, nil), (0, nil), (2, nil), (7, nil), (8, .ansi8), (15, .ansi8), (16, .ansi16),
      (88, .ansi16), (255, .ansi16), (256, .xterm256), (32767, .xterm256),
      (0xff_ffff, .xterm256), (0x100_0000, .direct),
    ]
    for (count, palette) in cases {
      #expect(ColorReducer(colorCount: count)?.palette == palette, "COLORS=\(count)")
    }
  }
}

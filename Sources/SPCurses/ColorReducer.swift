import SPTUI

/// Reduces theme colours to the colour numbers a terminal's palette can show (pure maths).
public struct ColorReducer: Hashable, Sendable {
  /// What colour numbers a terminal understands.
  public enum Palette: Hashable, Sendable {
    /// The 8 ANSI colours.
    case ansi8
    /// The 8 ANSI colours and their bright variants.
    case ansi16
    /// The xterm 256-colour palette: 16 ANSI colours, a 6×6×6 cube, a 24-step grey ramp.
    case xterm256
    /// Direct colour (terminfo `RGB`, e.g. TERM=xterm-direct): a number is 0xRRGGBB, but
    /// numbers below 8 still mean the ANSI colours.
    case direct
  }

  public let palette: Palette

  public init(palette: Palette) { self.palette = palette }

  /// The palette for a terminal with `colorCount` colours (curses' COLORS); nil below 8.
  public init?(colorCount: Int) {
    switch colorCount {
    case 0x100_0000...: palette = .direct
    case 256...: palette = .xterm256
    case 16...: palette = .ansi16
    case 8...: palette = .ansi8
    default: return nil
    }
  }

  /// The colour number for `color`; -1 is the terminal's default colour.
  public func number(for color: Color) -> Int32 {
    switch (color, palette) {
    case (.default, _): return -1
    case (.indexed(let i), .ansi8): return Int32(i < 16 ? Int(i) % 8 : Self.nearestANSI(i, 8))
    case (.indexed(let i), .ansi16): return Int32(i < 16 ? Int(i) : Self.nearestANSI(i, 16))
    case (.indexed(let i), .xterm256): return Int32(i)
    case (.indexed(let i), .direct):
      return i < 8 ? Int32(i) : Self.directNumber(Self.rgb(ofXterm256: Int(i)))
    case (.rgb(let r, let g, let b), .ansi8): return Int32(Self.nearestANSI(r, g, b, count: 8))
    case (.rgb(let r, let g, let b), .ansi16): return Int32(Self.nearestANSI(r, g, b, count: 16))
    case (.rgb(let r, let g, let b), .xterm256): return Int32(Self.nearestXterm256(r, g, b))
    case (.rgb(let r, let g, let b), .direct): return Self.directNumber((r, g, b))
    }
  }

  /// The six channel levels of the xterm colour cube.
  public static let cubeLevels: [Int] = [0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff]

  /// xterm's default RGB values of the 16 ANSI colours.
  public static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  /// The RGB value of entry `index` (0–255) of the xterm 256-colour palette.
  public static func rgb(ofXterm256 index: Int) -> (UInt8, UInt8, UInt8) {
    let i = min(max(index, 0), 255)
    if i < 16 { return ansiRGB[i] }
    if i >= 232 {
      let level = UInt8(8 + 10 * (i - 232))
      return (level, level, level)
    }
    let c = i - 16
    return (
      UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6])
    )
  }

  /// The xterm-256 entry (16–255) nearest to an RGB colour: the nearer of the closest cube
  /// entry and the closest grey-ramp entry, by squared distance (the method tmux uses).
  public static func nearestXterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
    let (qr, qg, qb) = (cubeStep(Int(r)), cubeStep(Int(g)), cubeStep(Int(b)))
    let cube = 16 + 36 * qr + 6 * qg + qb
    let (cr, cg, cb) = (cubeLevels[qr], cubeLevels[qg], cubeLevels[qb])
    if cr == Int(r) && cg == Int(g) && cb == Int(b) { return cube }
    let average = (Int(r) + Int(g) + Int(b)) / 3
    let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
    let grey = 8 + 10 * greyStep
    let cubeDistance = distance((cr, cg, cb), (Int(r), Int(g), Int(b)))
    let greyDistance = distance((grey, grey, grey), (Int(r), Int(g), Int(b)))
    return greyDistance < cubeDistance ? 232 + greyStep : cube
  }

  /// The ANSI colour (0 to `count` - 1, `count` being 8 or 16) nearest to an RGB colour.
  public static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> Int {
    let target = (Int(r), Int(g), Int(b))
    var best = 0
    var bestDistance = Int.max
    for (i, c) in ansiRGB.prefix(min(max(count, 1), 16)).enumerated() {
      let d = distance((Int(c.0), Int(c.1), Int(c.2)), target)
      if d < bestDistance { (best, bestDistance) = (i, d) }
    }
    return best
  }

  private static func nearestANSI(_ index: UInt8, _ count: Int) -> Int {
    let (r, g, b) = rgb(ofXterm256: Int(index))
    return nearestANSI(r, g, b, count: count)
  }

  /// Direct-colour number 0xRRGGBB, nudged to 8 when it would fall among the ANSI numbers.
  private static func directNumber(_ c: (UInt8, UInt8, UInt8)) -> Int32 {
    max(8, Int32(c.0) << 16 | Int32(c.1) << 8 | Int32(c.2))
  }

  private static func cubeStep(_ v: Int) -> Int { v < 48 ? 0 : v < 114 ? 1 : (v - 35) / 40 }

  private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
    return dr * dr + dg * dg + db * db
  }
}

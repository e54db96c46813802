/// A grid of dots over a rectangle of cells that chart lines are drawn on: 2×4 dots a cell
/// shown as braille, or one dot a cell shown as ASCII marks.
///
/// Each cell remembers the last series that put a dot in it; that series' style colours the
/// cell, so where series share a cell the later one wins.
struct DotCanvas {
  let columns: Int
  let rows: Int
  let braille: Bool
  /// Braille: the cell's dot bits (U+2800 + bits). ASCII: 1 for a line, 2 for a data point.
  private(set) var bits: [UInt8]
  /// The last series to mark each cell, or -1.
  private(set) var owner: [Int32]

  init(columns: Int, rows: Int, braille: Bool) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    self.braille = braille
    bits = Array(repeating: 0, count: self.columns * self.rows)
    owner = Array(repeating: -1, count: self.columns * self.rows)
  }

  var dotsPerColumn: Int { braille ? 2 : 1 }
  var dotsPerRow: Int { braille ? 4 : 1 }
  /// Dots across.
  var width: Int { columns * dotsPerColumn }
  /// Dots down.
  var height: Int { rows * dotsPerRow }

  /// Marks dot (x, y), y counted from the top; dots off the canvas are ignored.
  mutating func set(x: Int, y: Int, series: Int, point: Bool) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let cx = x / dotsPerColumn
    let cy = y / dotsPerRow
    let i = cy * columns + cx
    if braille {
      let dx = x - cx * 2
      let dy = y - cy * 4
      bits[i] |= dy < 3 ? UInt8(1 << (dy + 3 * dx)) : UInt8(0x40 << dx)
    } else {
      bits[i] = max(bits[i], point ? 2 : 1)
    }
    owner[i] = Int32(truncatingIfNeeded: series)
  }

  /// Draws the segment between two dot positions (x right, y down, may lie off the canvas): it is
  /// clipped to the canvas, rounded to dots and rasterised with Bresenham's algorithm. Ends that
  /// lie on the canvas are marked as data points.
  mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), series: Int) {
    guard width > 0, height > 0,
      let (p, q) = DotCanvas.clip(a, b, maxX: Double(width - 1), maxY: Double(height - 1))
    else { return }
    var x0 = Int(p.x.rounded())
    var y0 = Int(p.y.rounded())
    let x1 = Int(q.x.rounded())
    let y1 = Int(q.y.rounded())
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    while true {
      set(x: x0, y: y0, series: series, point: false)
      if x0 == x1 && y0 == y1 { break }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x0 += sx
      }
      if e2 <= dx {
        err += dx
        y0 += sy
      }
    }
    if p == a { set(x: Int(a.x.rounded()), y: Int(a.y.rounded()), series: series, point: true) }
    if q == b { set(x: Int(b.x.rounded()), y: Int(b.y.rounded()), series: series, point: true) }
  }

  /// Marks one data point at a dot position when it lies on the canvas.
  mutating func point(_ a: (x: Double, y: Double), series: Int) {
    guard a.x >= 0, a.y >= 0, a.x <= Double(width - 1), a.y <= Double(height - 1) else { return }
    set(x: Int(a.x.rounded()), y: Int(a.y.rounded()), series: series, point: true)
  }

  /// The part of segment a–b inside [0, maxX]×[0, maxY] (Liang–Barsky), or nil.
  static func clip(
    _ a: (x: Double, y: Double), _ b: (x: Double, y: Double), maxX: Double, maxY: Double
  ) -> ((x: Double, y: Double), (x: Double, y: Double))? {
    let dx = b.x - a.x
    let dy = b.y - a.y
    guard a.x.isFinite, a.y.isFinite, dx.isFinite, dy.isFinite else { return nil }
    var t0 = 0.0
    var t1 = 1.0
    // Narrows [t0, t1] to where the edge p·t ≤ q holds; false when nothing is left.
    func edge(_ p: Double, _ q: Double) -> Bool {
      if p == 0 { return q >= 0 }
      let r = q / p
      if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
      return t0 <= t1
    }
    guard edge(-dx, a.x), edge(dx, maxX - a.x), edge(-dy, a.y), edge(dy, maxY - a.y) else {
      return nil
    }
    let p = t0 == 0 ? a : (a.x + t0 * dx, a.y + t0 * dy)
    let q = t1 == 1 ? b : (a.x + t1 * dx, a.y + t1 * dy)
    return (p, q)
  }

  /// The symbol of cell (column, row), or nil when nothing is drawn there.
  func symbol(column: Int, row: Int, glyphs: Glyphs) -> Unicode.Scalar? {
    let b = bits[row * columns + column]
    guard b != 0 else { return nil }
    if braille { return Unicode.Scalar(0x2800 + UInt32(b)) }
    return b >= 2 ? glyphs.pointMark(series: Int(owner[row * columns + column])) : glyphs.plotLine
  }

  /// The series that colours cell (column, row), or nil.
  func series(column: Int, row: Int) -> Int? {
    let o = owner[row * columns + column]
    return o >= 0 ? Int(o) : nil
  }
}

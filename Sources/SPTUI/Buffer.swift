/// A screen's worth of cells that widgets draw into; the backend writes only its diff to the
/// terminal.
public struct Buffer: Hashable, Sendable {
  public private(set) var width: Int
  public private(set) var height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.cells = Array(repeating: fill, count: self.width * self.height)
  }

  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The cell at column `x`, row `y`; reads outside the buffer give a blank, writes are dropped.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < width, y < height else { return .blank }
      return cells[y * width + x]
    }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Fills every cell of `rect` (clipped to the buffer) with `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for row in r.top..<r.bottom {
      let base = row * width
      for col in r.left..<r.right { cells[base + col] = cell }
    }
  }

  /// Sets the style of every cell of `rect`, keeping the symbols.
  public mutating func setStyle(_ rect: Rect, _ style: Style) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for row in r.top..<r.bottom {
      let base = row * width
      for col in r.left..<r.right { cells[base + col].style = style }
    }
  }

  /// Writes `text` from (x, y) to the right, one scalar a cell, clipped to `maxWidth` columns and
  /// the buffer. A scalar that would not take exactly one column (control, combining, wide) is
  /// drawn as `Cell.replacement`. Returns the column after the last cell written.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = Int.max
  ) -> Int {
    guard y >= 0, y < height else { return x }
    var col = x
    let (end, overflow) = x.addingReportingOverflow(max(0, maxWidth))
    let limit = overflow ? width : min(width, end)
    let base = y * width
    for scalar in text.unicodeScalars {
      if col >= limit { break }
      if col >= 0 { cells[base + col] = Cell(Cell.displayable(scalar), style: style) }
      col += 1
    }
    return col
  }

  /// The buffer as plain text, one line per row, trailing spaces kept: what snapshot tests compare.
  public var lines: [String] {
    (0..<height).map { row in
      var s = String.UnicodeScalarView()
      for col in 0..<width { s.append(cells[row * width + col].symbol) }
      return String(s)
    }
  }

  /// A change the backend must write: a cell and where it goes.
  public struct Change: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
  }

  /// The cells of `self` that differ from `previous`, in row-major order; every cell when the
  /// sizes differ. Each row's unchanged run is skipped by a tight loop over the raw storage (no
  /// bounds checks, no allocation); a buffer compared with its own unmodified copy costs nothing.
  public func diff(from previous: Buffer) -> [Change] {
    guard previous.width == width, previous.height == height else {
      var all: [Change] = []
      all.reserveCapacity(cells.count)
      for row in 0..<height {
        for col in 0..<width { all.append(Change(x: col, y: row, cell: cells[row * width + col])) }
      }
      return all
    }
    var changes: [Change] = []
    let w = width
    cells.withUnsafeBufferPointer { new in
      previous.cells.withUnsafeBufferPointer { old in
        if new.baseAddress == old.baseAddress { return }  // the same storage: nothing changed
        for row in 0..<height {
          let base = row * w
          var col = 0
          while col < w, new[base + col] == old[base + col] { col += 1 }
          while col < w {
            let cell = new[base + col]
            if cell != old[base + col] { changes.append(Change(x: col, y: row, cell: cell)) }
            col += 1
          }
        }
      }
    }
    return changes
  }
}

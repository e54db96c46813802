/// A screen's worth of cells that widgets draw into; the backend writes only its diff to the terminal.
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
  /// the buffer. Returns the column after the last cell written.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = Int.max
  ) -> Int {
    guard y >= 0, y < height else { return x }
    var col = x
    let limit = maxWidth == Int.max ? width : min(width, x + max(0, maxWidth))
    for scalar in text.unicodeScalars {
      if col >= limit { break }
      if col >= 0 { cells[y * width + col] = Cell(scalar, style: style) }
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

  /// The cells of `self` that differ from `previous`; every cell when the sizes differ.
  public func diff(from previous: Buffer) -> [Change] {
    var changes: [Change] = []
    let sameSize = previous.width == width && previous.height == height
    for row in 0..<height {
      for col in 0..<width {
        let i = row * width + col
        if !sameSize || previous.cells[i] != cells[i] {
          changes.append(Change(x: col, y: row, cell: cells[i]))
        }
      }
    }
    return changes
  }
}

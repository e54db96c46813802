/// One cell of a `Table`: text and an optional style of its own.
public struct TableCell: Hashable, Sendable, ExpressibleByStringLiteral {
  public var text: String
  /// The cell's style; the table's `style` when nil.
  public var style: Style?

  public init(_ text: String, style: Style? = nil) {
    self.text = text
    self.style = style
  }

  public init(stringLiteral value: String) { self.init(value) }
}

/// Rows of cells under a header, in columns of fixed or flexible width.
///
/// Text too wide for its column is cut with the glyph set's ellipsis. Columns are laid out with
/// `Layout` (fixed widths first, flexible ones share the rest by weight), `columnSpacing` blank
/// cells apart. The selected row is drawn in `selectedStyle` across the full width (cell styles
/// give way to it) and is scrolled into view when below the last visible row.
public struct Table: Widget {
  /// A column's header, width and alignment.
  public struct Column: Hashable, Sendable {
    /// How wide a column is.
    public enum Width: Hashable, Sendable {
      /// Exactly `n` cells (fewer only when the table is too narrow).
      case fixed(Int)
      /// A share, by weight, of the room the fixed columns leave.
      case flexible(Int)
    }

    public var header: String
    public var width: Width
    public var alignment: Alignment

    public init(_ header: String, width: Width = .flexible(1), alignment: Alignment = .left) {
      self.header = header
      self.width = width
      self.alignment = alignment
    }
  }

  public var columns: [Column]
  public var rows: [[TableCell]]
  public var glyphs: Glyphs
  public var style: Style
  public var headerStyle: Style
  public var showHeader: Bool
  /// Index into `rows` of the highlighted row.
  public var selectedRow: Int?
  public var selectedStyle: Style
  public var columnSpacing: Int
  /// When set and rows do not all fit, the last line of the body says how many rows are hidden
  /// above and below (e.g. "▲ 2 more  ▼ 7 more"), right-aligned, in place of a row.
  public var hiddenRowsText: (@Sendable (_ above: Int, _ below: Int) -> String)?

  public init(
    columns: [Column], rows: [[TableCell]], glyphs: Glyphs = .unicode, style: Style = .plain,
    headerStyle: Style = Style(attributes: [.bold, .underline]), showHeader: Bool = true,
    selectedRow: Int? = nil, selectedStyle: Style = Style(attributes: .reverse),
    columnSpacing: Int = 1
  ) {
    self.columns = columns
    self.rows = rows
    self.glyphs = glyphs
    self.style = style
    self.headerStyle = headerStyle
    self.showHeader = showHeader
    self.selectedRow = selectedRow
    self.selectedStyle = selectedStyle
    self.columnSpacing = max(0, columnSpacing)
  }

  /// The column rectangles, one row high, at the top of `area`.
  public func columnRects(in area: Rect) -> [Rect] {
    let constraints = columns.map { column -> Constraint in
      switch column.width {
      case .fixed(let n): return .length(n)
      case .flexible(let w): return .fill(w)
      }
    }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
    return Layout.horizontal(row, constraints, spacing: columnSpacing)
  }

  /// The first row drawn: 0, or later so that the selected row is visible.
  public func firstVisibleRow(bodyHeight: Int) -> Int {
    guard let selected = selectedRow, bodyHeight > 0, selected >= bodyHeight else { return 0 }
    return min(selected, max(0, rows.count - 1)) - bodyHeight + 1
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    buffer.fill(area, with: Cell(" ", style: style))
    let rects = columnRects(in: area)
    var y = area.top
    if showHeader {
      buffer.setStyle(Rect(x: area.x, y: y, width: area.width, height: 1), headerStyle)
      for (column, rect) in zip(columns, rects) {
        draw(
          column.header, in: rect, y: y, alignment: column.alignment, style: headerStyle,
          into: &buffer)
      }
      y += 1
    }
    var body = area.bottom - y
    guard body > 0 else { return }
    if hiddenRowsText != nil, rows.count > body, body >= 2 { body -= 1 }
    let first = firstVisibleRow(bodyHeight: body)
    let last = min(rows.count, first + body)
    if let hiddenRowsText, first > 0 || last < rows.count {
      let note = hiddenRowsText(first, rows.count - last)
        .truncated(to: area.width, ellipsis: glyphs.ellipsis)
      let length = note.unicodeScalars.count
      buffer.write(note, x: area.right - length, y: y + body, style: style)
    }
    for index in first..<last {
      let selected = index == selectedRow
      if selected {
        buffer.fill(
          Rect(x: area.x, y: y, width: area.width, height: 1),
          with: Cell(" ", style: selectedStyle))
      }
      for (c, (column, rect)) in zip(columns, rects).enumerated() where c < rows[index].count {
        let cell = rows[index][c]
        draw(
          cell.text, in: rect, y: y, alignment: column.alignment,
          style: selected ? selectedStyle : (cell.style ?? style), into: &buffer)
      }
      y += 1
    }
  }

  private func draw(
    _ text: String, in rect: Rect, y: Int, alignment: Alignment, style: Style,
    into buffer: inout Buffer
  ) {
    guard rect.width > 0 else { return }
    let shown = text.truncated(to: rect.width, ellipsis: glyphs.ellipsis)
    let offset = alignment.offset(length: shown.unicodeScalars.count, width: rect.width)
    buffer.write(shown, x: rect.x + offset, y: y, style: style, maxWidth: rect.width - offset)
  }
}

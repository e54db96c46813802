/// Lines centred both ways in an area, e.g. "Terminal too small: need 80×24, have 40×12".
///
/// The area is cleared first. When there are more lines than rows the first ones are shown; a
/// line wider than the area shows its first cells.
public struct CenteredMessage: Widget {
  public var lines: [Line]
  /// Fill of the cleared area.
  public var style: Style

  public init(_ lines: [Line], style: Style = .plain) {
    self.lines = lines
    self.style = style
  }

  public init(_ lines: [String], style: Style = .plain) {
    self.init(lines.map { Line($0, style: style) }, style: style)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    buffer.fill(area, with: Cell(" ", style: style))
    let shown = min(lines.count, area.height)
    let top = area.top + (area.height - shown) / 2
    for (i, line) in lines.prefix(shown).enumerated() {
      let offset = Alignment.center.offset(length: line.width, width: area.width)
      buffer.write(line, x: area.left + offset, y: top + i, maxWidth: area.width - offset)
    }
  }
}

/// Lines of styled text in an area: aligned, clipped at the right and bottom edges.
///
/// A line wider than the area shows its first cells whatever its alignment. `scroll` skips lines
/// at the top. When `style` is given the whole area is first filled with blanks in that style.
public struct Paragraph: Widget {
  public var lines: [Line]
  public var alignment: Alignment
  public var style: Style?
  /// Lines skipped at the top.
  public var scroll: Int

  public init(
    _ lines: [Line], alignment: Alignment = .left, style: Style? = nil, scroll: Int = 0
  ) {
    self.lines = lines
    self.alignment = alignment
    self.style = style
    self.scroll = max(0, scroll)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    if let style { buffer.fill(area, with: Cell(" ", style: style)) }
    var y = area.top
    for line in lines.dropFirst(scroll) {
      if y >= area.bottom { break }
      let offset = (line.alignment ?? alignment).offset(length: line.width, width: area.width)
      buffer.write(line, x: area.left + offset, y: y, maxWidth: area.width - offset)
      y += 1
    }
  }
}

/// A bordered frame with a title on the top edge (left) and an optional badge (right); draws
/// nothing but the frame, and tells its content where to go with `inner(of:)`.
///
/// The top edge reads "┌ Title ───── Badge ┐". When the edge is too short the badge goes first,
/// then the title is cut with an ellipsis. Areas narrower or shorter than 2 cells get no border.
public struct Block: Widget {
  public var title: String?
  /// Right-aligned text on the top edge, e.g. "LOG".
  public var badge: String?
  /// Right-aligned text on the bottom edge, e.g. "▼ 6 more" under a list that scrolls; drawn in
  /// `badgeStyle`, left out when the edge is too short for it.
  public var footer: String?
  public var glyphs: Glyphs
  public var borderStyle: Style
  public var titleStyle: Style
  public var badgeStyle: Style
  /// A focused block draws with `glyphs.focusedBorder` and `focusedStyle` for border and title.
  public var focused: Bool
  public var focusedStyle: Style

  public init(
    title: String? = nil, badge: String? = nil, glyphs: Glyphs = .unicode,
    borderStyle: Style = .plain, titleStyle: Style = Style(attributes: .bold),
    badgeStyle: Style = .plain, focused: Bool = false,
    focusedStyle: Style = Style(foreground: .cyan, attributes: .bold), footer: String? = nil
  ) {
    self.title = title
    self.badge = badge
    self.footer = footer
    self.glyphs = glyphs
    self.borderStyle = borderStyle
    self.titleStyle = titleStyle
    self.badgeStyle = badgeStyle
    self.focused = focused
    self.focusedStyle = focusedStyle
  }

  /// Whether `area` is large enough for a border.
  public static func fitsBorder(_ area: Rect) -> Bool { area.width >= 2 && area.height >= 2 }

  /// The content rectangle: `area` inside the border; empty (at the area's origin) when the area
  /// is too small for a border.
  public func inner(of area: Rect) -> Rect {
    guard Block.fitsBorder(area) else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
    return area.inset(by: 1)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard Block.fitsBorder(area) else { return }
    let set = focused ? glyphs.focusedBorder : glyphs.border
    let style = focused ? focusedStyle : borderStyle
    let left = area.left
    let right = area.right - 1
    let top = area.top
    let bottom = area.bottom - 1
    let visible = area.intersection(buffer.area)
    if !visible.isEmpty {
      for x in stride(from: max(left + 1, visible.left), to: min(right, visible.right), by: 1) {
        buffer[x, top] = Cell(set.horizontal, style: style)
        buffer[x, bottom] = Cell(set.horizontal, style: style)
      }
      for y in stride(from: max(top + 1, visible.top), to: min(bottom, visible.bottom), by: 1) {
        buffer[left, y] = Cell(set.vertical, style: style)
        buffer[right, y] = Cell(set.vertical, style: style)
      }
    }
    buffer[left, top] = Cell(set.topLeft, style: style)
    buffer[right, top] = Cell(set.topRight, style: style)
    buffer[left, bottom] = Cell(set.bottomLeft, style: style)
    buffer[right, bottom] = Cell(set.bottomRight, style: style)
    drawTitles(area: area, style: style, into: &buffer)
    if let footer, !footer.isEmpty, footer.unicodeScalars.count + 2 <= area.width - 2 {
      let length = footer.unicodeScalars.count + 2
      let start = area.right - 1 - length
      buffer[start, bottom] = Cell(" ", style: style)
      buffer.write(footer, x: start + 1, y: bottom, style: badgeStyle)
      buffer[start + length - 1, bottom] = Cell(" ", style: style)
    }
  }

  /// Title from column 1 as " Title ", badge ending before the right corner as " Badge ".
  private func drawTitles(area: Rect, style: Style, into buffer: inout Buffer) {
    let room = area.width - 2  // cells between the corners
    var used = 0
    if let title, !title.isEmpty, room >= 3 {
      let text = title.truncated(to: room - 2, ellipsis: glyphs.ellipsis)
      let tStyle = focused ? titleStyle.merging(focusedStyle) : titleStyle
      buffer[area.left + 1, area.top] = Cell(" ", style: style)
      let length = text.unicodeScalars.count
      buffer.write(text, x: area.left + 2, y: area.top, style: tStyle)
      buffer[area.left + 2 + length, area.top] = Cell(" ", style: style)
      used = length + 2
    }
    if let badge, !badge.isEmpty {
      let length = badge.unicodeScalars.count + 2
      let gap = used > 0 ? 1 : 0
      guard used + gap + length <= room else { return }
      let start = area.right - 1 - length
      buffer[start, area.top] = Cell(" ", style: style)
      buffer.write(badge, x: start + 1, y: area.top, style: badgeStyle)
      buffer[start + length - 1, area.top] = Cell(" ", style: style)
    }
  }
}

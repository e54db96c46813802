/// One row of the help overlay: the keys ("Spc", "+ / -") and what they do.
public struct HelpEntry: Hashable, Sendable {
  public var keys: String
  public var description: String

  public init(_ keys: String, _ description: String) {
    self.keys = keys
    self.description = description
  }
}

/// The help box: a centred `Popup` listing keys and descriptions in two aligned columns.
///
/// It asks for just enough room for every row; in a smaller area the box shrinks, descriptions
/// are cut with an ellipsis before keys are, and the rows that do not fit are left out.
public struct HelpOverlay: Widget {
  public var title: String
  public var entries: [HelpEntry]
  public var glyphs: Glyphs
  public var keyStyle: Style
  public var descriptionStyle: Style
  public var style: Style
  public var borderStyle: Style

  public init(
    title: String = "Help", entries: [HelpEntry], glyphs: Glyphs = .unicode,
    keyStyle: Style = Style(foreground: .cyan, attributes: .bold),
    descriptionStyle: Style = .plain, style: Style = .plain, borderStyle: Style = .plain
  ) {
    self.title = title
    self.entries = entries
    self.glyphs = glyphs
    self.keyStyle = keyStyle
    self.descriptionStyle = descriptionStyle
    self.style = style
    self.borderStyle = borderStyle
  }

  /// Gap between the key and description columns.
  static let columnGap = 2

  /// The box's size when nothing limits it: border, one blank column each side, the rows.
  public var preferredSize: (width: Int, height: Int) {
    let keys = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
    let descriptions = entries.map { $0.description.unicodeScalars.count }.max() ?? 0
    let rows = keys + HelpOverlay.columnGap + descriptions
    let titled = title.unicodeScalars.count + 4
    return (max(rows + 4, titled), entries.count + 2)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    let size = preferredSize
    let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
    let table = Table(
      columns: [Table.Column("", width: .fixed(keyWidth)), Table.Column("")],
      rows: entries.map {
        [
          TableCell($0.keys, style: keyStyle.merging(style)),
          TableCell($0.description, style: descriptionStyle.merging(style)),
        ]
      },
      glyphs: glyphs, style: style, showHeader: false, columnSpacing: HelpOverlay.columnGap)
    Popup(
      title: title, width: size.width, height: size.height, content: table, glyphs: glyphs,
      style: style, borderStyle: borderStyle
    ).render(in: area, into: &buffer)
  }
}

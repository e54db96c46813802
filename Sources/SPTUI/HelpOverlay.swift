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
/// It asks for just enough room for every row; in a narrower area the box shrinks and each
/// description wraps at spaces onto the lines below it (a word longer than the column is cut
/// with an ellipsis). When the area is too short for every line, the last line says how many
/// entries are left out ("… 3 more").
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
    let boxWidth = min(size.width, area.width)
    let column = max(1, boxWidth - 4 - keyWidth - HelpOverlay.columnGap)
    // Descriptions wrap when every line then fits the height; otherwise each stays on one line,
    // cut with an ellipsis.
    let room = max(0, area.height - 2)
    var lines = entries.map { HelpOverlay.wrap($0.description, width: column, glyphs: glyphs) }
    if lines.reduce(0, { $0 + $1.count }) > room { lines = entries.map { [$0.description] } }
    var rows: [[TableCell]] = []
    for (entry, wrapped) in zip(entries, lines) {
      for (k, line) in wrapped.enumerated() {
        rows.append([
          TableCell(k == 0 ? entry.keys : "", style: keyStyle.merging(style)),
          TableCell(line, style: descriptionStyle.merging(style)),
        ])
      }
    }
    if rows.count > room, room > 0 {
      // The entries that fit, then a last line that says how many are left out.
      let left = entries.count - (room - 1)
      rows = Array(rows.prefix(room - 1))
      rows.append([
        TableCell(String(Character(glyphs.ellipsis)), style: keyStyle.merging(style)),
        TableCell("\(left) more", style: keyStyle.merging(style)),
      ])
    }
    let table = Table(
      columns: [Table.Column("", width: .fixed(keyWidth)), Table.Column("")], rows: rows,
      glyphs: glyphs, style: style, showHeader: false, columnSpacing: HelpOverlay.columnGap)
    Popup(
      title: title, width: boxWidth, height: rows.count + 2, content: table, glyphs: glyphs,
      style: style, borderStyle: borderStyle
    ).render(in: area, into: &buffer)
  }

  /// `text` in lines of at most `width` cells, broken at spaces.
  static func wrap(_ text: String, width: Int, glyphs: Glyphs) -> [String] {
    guard text.unicodeScalars.count > width else { return [text] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
      let w = word.truncated(to: width, ellipsis: glyphs.ellipsis)
      if line.isEmpty {
        line = w
      } else if line.unicodeScalars.count + 1 + w.unicodeScalars.count <= width {
        line += " " + w
      } else {
        lines.append(line)
        line = w
      }
    }
    lines.append(line)
    return lines
  }
}

/// One entry of a key-hint footer: the key as shown ("Spc", "q") and what it does.
public struct KeyHint: Hashable, Sendable {
  public var key: String
  public var label: String

  public init(_ key: String, _ label: String) {
    self.key = key
    self.label = label
  }
}

/// An htop-style footer row: "Spc Pause  s Step  q Quit" with each key highlighted.
///
/// Draws on the first row of its area only, filling the rest of the row in `labelStyle`, and
/// clips at the right edge (a hint that does not fit is cut, not moved).
public struct KeyHints: Widget {
  public var hints: [KeyHint]
  public var keyStyle: Style
  public var labelStyle: Style
  /// Blank cells between one hint's label and the next key.
  public var gap: Int

  public init(
    _ hints: [KeyHint], keyStyle: Style = Style(attributes: [.reverse, .bold]),
    labelStyle: Style = .plain, gap: Int = 2
  ) {
    self.hints = hints
    self.keyStyle = keyStyle
    self.labelStyle = labelStyle
    self.gap = max(0, gap)
  }

  /// Hints from (key, label) pairs.
  public init(
    pairs: [(key: String, label: String)], keyStyle: Style = Style(attributes: [.reverse, .bold]),
    labelStyle: Style = .plain, gap: Int = 2
  ) {
    self.init(
      pairs.map { KeyHint($0.key, $0.label) }, keyStyle: keyStyle, labelStyle: labelStyle, gap: gap)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
    buffer.fill(row, with: Cell(" ", style: labelStyle))
    var spans: [Span] = []
    spans.reserveCapacity(hints.count * 3)
    for (i, hint) in hints.enumerated() {
      if i > 0 { spans.append(Span(String(repeating: " ", count: gap), style: labelStyle)) }
      spans.append(Span(hint.key, style: keyStyle))
      if !hint.label.isEmpty { spans.append(Span(" " + hint.label, style: labelStyle)) }
    }
    buffer.write(Line(spans), x: area.left, y: area.top, maxWidth: area.width)
  }
}

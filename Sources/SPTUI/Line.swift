/// A run of text in one style.
public struct Span: Hashable, Sendable, ExpressibleByStringLiteral {
  public var text: String
  public var style: Style

  public init(_ text: String, style: Style = .plain) {
    self.text = text
    self.style = style
  }

  public init(stringLiteral value: String) { self.init(value) }

  /// Cells the span takes (one scalar a cell).
  public var width: Int { text.unicodeScalars.count }
}

/// One row of styled spans, with an optional alignment of its own.
public struct Line: Hashable, Sendable, ExpressibleByStringLiteral {
  public var spans: [Span]
  /// Overrides the paragraph's alignment for this line when set.
  public var alignment: Alignment?

  public init(_ spans: [Span], alignment: Alignment? = nil) {
    self.spans = spans
    self.alignment = alignment
  }

  public init(_ text: String, style: Style = .plain, alignment: Alignment? = nil) {
    self.init([Span(text, style: style)], alignment: alignment)
  }

  public init(stringLiteral value: String) { self.init(value) }

  /// Cells the line takes.
  public var width: Int { spans.reduce(0) { $0 + $1.width } }
}

extension Buffer {
  /// Writes `line` from (x, y), clipped to `maxWidth` cells and the buffer; returns the column
  /// after the last cell written.
  @discardableResult
  public mutating func write(_ line: Line, x: Int, y: Int, maxWidth: Int) -> Int {
    var col = x
    let (sum, overflow) = x.addingReportingOverflow(max(0, maxWidth))
    let end = overflow ? Int.max : sum
    for span in line.spans where col < end {
      col = write(span.text, x: col, y: y, style: span.style, maxWidth: end - col)
    }
    return col
  }
}

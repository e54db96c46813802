import Testing

@testable import SPTUI

/// Compares the whole screen of `buffer` with `expected`, one string a row; on a mismatch the
/// failure shows both screens framed by '|' so trailing blanks are visible.
func expectScreen(
  _ buffer: Buffer, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
  let actual = buffer.lines
  guard actual != expected else { return }
  Issue.record(
    """
    screen differs
    rendered (\(buffer.width)×\(buffer.height)):
    \(framed(actual))
    expected:
    \(framed(expected))
    """, sourceLocation: sourceLocation)
}

/// Lines between bars, one a row, for failure messages.
func framed(_ lines: [String]) -> String {
  lines.map { "|\($0)|" }.joined(separator: "\n")
}

/// A `width`×`height` buffer with `widget` rendered into `area` (the whole buffer when nil).
func rendered(
  _ widget: some Widget, width: Int, height: Int, area: Rect? = nil, fill: Unicode.Scalar = " "
) -> Buffer {
  var buffer = Buffer(width: width, height: height, fill: Cell(fill))
  buffer.render(widget, in: area)
  return buffer
}

/// The sizes and placements every widget must survive: empty, 1×1 and areas hanging off each
/// edge of (or wholly outside) a 6×4 buffer.
let awkwardAreas: [Rect] = [
  Rect.zero, Rect(x: 0, y: 0, width: 1, height: 1), Rect(x: 2, y: 1, width: 0, height: 3),
  Rect(x: -3, y: -2, width: 6, height: 4), Rect(x: 4, y: 2, width: 10, height: 10),
  Rect(x: -20, y: -20, width: 5, height: 5), Rect(x: 50, y: 50, width: 5, height: 5),
  Rect(x: 0, y: 0, width: 1, height: 9), Rect(x: 0, y: 0, width: 40, height: 1),
]

/// Renders `widget` into every awkward area, then checks that nothing outside the area changed.
func expectSafeInAwkwardAreas(
  _ widget: some Widget, sourceLocation: SourceLocation = #_sourceLocation
) {
  for area in awkwardAreas {
    let buffer = rendered(widget, width: 6, height: 4, area: area, fill: "x")
    for y in 0..<4 {
      for x in 0..<6 where !area.contains(x: x, y: y) {
        #expect(
          buffer[x, y].symbol == "x", "wrote outside \(area) at (\(x), \(y))",
          sourceLocation: sourceLocation)
      }
    }
  }
}

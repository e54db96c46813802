import Testing

@testable import SPTUI

@Suite struct GlyphsTests {
  /// Every widget drawn with the ASCII set, into one 40×24 screen each.
  var asciiWidgets: [(String, any Widget)] {
    let g = Glyphs.ascii
    return [
      ("block", Block(title: "A very long title indeed", badge: "LOG", glyphs: g)),
      ("focused block", Block(title: "Loss", glyphs: g, focused: true)),
      ("sparkline", Sparkline((0..<100).map { Double($0 % 17) }, glyphs: g)),
      (
        "chart",
        LineChart(
          series: [.init("a", values: [1, 0, 1e-3]), .init("b", values: [0.5, 0.2, 0.1])],
          title: "Loss", badge: "LOG", yScale: .log10(floor: 1e-16), markers: [1],
          references: [0.01], glyphs: g)
      ),
      (
        "table",
        Table(
          columns: [Table.Column("Name", width: .fixed(3)), Table.Column("Value")],
          rows: [["long name", "1"]], glyphs: g)
      ),
      ("help", HelpOverlay(entries: [HelpEntry("q", "Quit the dashboard")], glyphs: g)),
    ]
  }

  @Test func asciiWidgetsDrawOnlyAscii() {
    for (name, widget) in asciiWidgets {
      var buffer = Buffer(width: 40, height: 24)
      widget.render(in: buffer.area, into: &buffer)
      var narrow = Buffer(width: 9, height: 5)
      widget.render(in: narrow.area, into: &narrow)
      let scalars = (buffer.lines + narrow.lines).flatMap(\.unicodeScalars)
      let foreign = scalars.filter { !$0.isASCII }
      #expect(foreign.isEmpty, "\(name): \(foreign)\n\(framed(buffer.lines))")
      #expect(scalars.contains { $0 != " " }, "\(name) drew nothing")
    }
  }

  @Test func unicodeGlyphsAreSingleColumn() {
    let g = Glyphs.unicode
    var scalars: [Unicode.Scalar] =
      g.sparkLevels + [
        g.plotPoint, g.plotLine, g.axisVertical, g.axisVerticalTick, g.axisHorizontal,
        g.axisHorizontalTick, g.axisCorner, g.marker, g.reference, g.referenceGap, g.legendSample,
        g.ellipsis,
      ]
    for border in [g.border, g.focusedBorder] {
      scalars += [
        border.horizontal, border.vertical, border.topLeft, border.topRight, border.bottomLeft,
        border.bottomRight,
      ]
    }
    scalars += g.atMost.unicodeScalars
    #expect(scalars.allSatisfy(Cell.isSingleColumn))
    #expect(Glyphs.ascii.sparkLevels.count == 8 && g.sparkLevels.last == "█")
  }
}

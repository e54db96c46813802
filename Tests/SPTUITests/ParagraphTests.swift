import Testing

@testable import SPTUI

@Suite struct ParagraphTests {
  let bold = Style(attributes: .bold)

  @Test func alignedLinesOfStyledSpans() {
    let paragraph = Paragraph(
      [
        Line([Span("η", style: bold), Span(" = 0.001")]),
        Line("centre", alignment: .center),
        Line("right", alignment: .right),
      ])
    let buffer = rendered(paragraph, width: 10, height: 3)
    expectScreen(
      buffer,
      [
        "η = 0.001 ",
        "  centre  ",
        "     right",
      ])
    #expect(buffer[0, 0].style == bold && buffer[1, 0].style == .plain)
  }

  @Test func clipsAtTheRightAndBottomAndScrolls() {
    let paragraph = Paragraph(["first line", "second", "third"], alignment: .right, scroll: 1)
    expectScreen(rendered(paragraph, width: 4, height: 1), ["seco"])
    expectScreen(
      rendered(Paragraph(["abcdef"]), width: 3, height: 2),
      [
        "abc",
        "   ",
      ])
  }

  @Test func backgroundStyleFillsTheArea() {
    let blue = Style(background: .blue)
    let buffer = rendered(Paragraph(["a"], style: blue), width: 3, height: 2, fill: ".")
    expectScreen(
      buffer,
      [
        "a  ",
        "   ",
      ])
    #expect(buffer[2, 1].style == blue)
  }

  @Test func tinyAndAwkwardAreas() {
    expectScreen(rendered(Paragraph(["xyz"], alignment: .center), width: 1, height: 1), ["x"])
    expectScreen(rendered(Paragraph(["xyz"]), width: 0, height: 0), [])
    expectSafeInAwkwardAreas(Paragraph(["hello world", "two"], alignment: .center))
  }
}

@Suite struct KeyHintsTests {
  let hints = KeyHints(
    pairs: [("Spc", "Pause"), ("s", "Step"), ("+", "η×2"), ("q", "Quit")],
    keyStyle: Style(attributes: .reverse), labelStyle: Style(background: .blue))

  @Test func keysHighlightedLabelsAfter() {
    let buffer = rendered(hints, width: 34, height: 1)
    expectScreen(buffer, ["Spc Pause  s Step  + η×2  q Quit  "])
    #expect(buffer[0, 0].style == Style(attributes: .reverse))
    #expect(buffer[3, 0].style == Style(background: .blue))
    #expect(buffer[11, 0].style == Style(attributes: .reverse))
    #expect(buffer[33, 0].style == Style(background: .blue))
  }

  @Test func clippedToTheWidthAndFirstRowOnly() {
    let buffer = rendered(hints, width: 14, height: 2, fill: ".")
    expectScreen(
      buffer,
      [
        "Spc Pause  s S",
        "..............",
      ])
  }

  @Test func tinyAndAwkwardAreas() {
    expectScreen(rendered(hints, width: 1, height: 1), ["S"])
    expectScreen(rendered(hints, width: 0, height: 0), [])
    expectSafeInAwkwardAreas(hints)
  }
}

@Suite struct CenteredMessageTests {
  @Test func linesCentredBothWays() {
    let message = CenteredMessage(["Terminal too small", "need 80×24, have 40×12"])
    expectScreen(
      rendered(message, width: 26, height: 5, fill: "."),
      [
        "                          ",
        "    Terminal too small    ",
        "  need 80×24, have 40×12  ",
        "                          ",
        "                          ",
      ])
  }

  @Test func clipsWhenTooSmall() {
    let message = CenteredMessage(["Terminal too small", "need 80×24"])
    expectScreen(rendered(message, width: 6, height: 1), ["Termin"])
    expectScreen(rendered(message, width: 1, height: 1), ["T"])
    expectScreen(rendered(message, width: 0, height: 0), [])
    expectSafeInAwkwardAreas(message)
  }
}

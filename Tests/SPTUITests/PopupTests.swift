import Testing

@testable import SPTUI

@Suite struct PopupTests {
  let help = HelpOverlay(
    title: "Keys",
    entries: [
      HelpEntry("Spc", "Pause / resume"), HelpEntry("s", "Step once"),
      HelpEntry("+ / -", "η ×2 / ÷2"),
    ])

  @Test func helpIsCentredOverWhatWasDrawnAndClearsItsBox() {
    #expect(help.preferredSize == (width: 25, height: 5))
    let buffer = rendered(help, width: 31, height: 9, fill: "#")
    expectScreen(
      buffer,
      [
        "###############################",
        "###############################",
        "###┌ Keys ─────────────────┐###",
        "###│ Spc    Pause / resume │###",
        "###│ s      Step once      │###",
        "###│ + / -  η ×2 / ÷2      │###",
        "###└───────────────────────┘###",
        "###############################",
        "###############################",
      ])
    #expect(buffer[5, 3].style == Style(foreground: .cyan, attributes: .bold))
  }

  @Test func shrinksToFitCuttingDescriptionsThenSaysHowManyRowsAreLeftOut() {
    expectScreen(
      rendered(help, width: 18, height: 4, fill: "#"),
      [
        "┌ Keys ──────────┐",
        "│ Spc    Pause … │",
        "│ …      2 more  │",
        "└────────────────┘",
      ])
  }

  @Test func genericPopupCentresItsContent() {
    let popup = Popup(
      title: "Quit?", width: 11, height: 3, content: Paragraph(["y / n"], alignment: .center))
    #expect(
      popup.rect(in: Rect(x: 0, y: 0, width: 15, height: 5))
        == Rect(x: 2, y: 1, width: 11, height: 3))
    expectScreen(
      rendered(popup, width: 15, height: 5, fill: "."),
      [
        "...............",
        "..┌ Quit? ──┐..",
        "..│  y / n  │..",
        "..└─────────┘..",
        "...............",
      ])
  }

  @Test func tinyAndAwkwardAreas() {
    expectScreen(rendered(help, width: 1, height: 1, fill: "#"), [" "])
    expectScreen(rendered(help, width: 0, height: 0), [])
    expectScreen(
      rendered(help, width: 3, height: 2, fill: "#"),
      [
        "┌─┐",
        "└─┘",
      ])
    expectSafeInAwkwardAreas(help)
  }
}

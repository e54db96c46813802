import Testing

@testable import SPTUI

@Suite struct BlockTests {
  @Test func borderTitleAndBadge() {
    let block = Block(title: "Loss", badge: "LOG")
    expectScreen(
      rendered(block, width: 16, height: 4),
      [
        "┌ Loss ─── LOG ┐",
        "│              │",
        "│              │",
        "└──────────────┘",
      ])
    #expect(
      block.inner(of: Rect(x: 0, y: 0, width: 16, height: 4))
        == Rect(x: 1, y: 1, width: 14, height: 2))
  }

  @Test func titleIsCutAndBadgeDroppedWhenNarrow() {
    let block = Block(title: "Relative homogeneity error", badge: "LIN")
    expectScreen(
      rendered(block, width: 12, height: 2),
      [
        "┌ Relativ… ┐",
        "└──────────┘",
      ])
    expectScreen(
      rendered(block, width: 5, height: 2),
      [
        "┌ … ┐",
        "└───┘",
      ])
    expectScreen(
      rendered(block, width: 4, height: 2),
      [
        "┌──┐",
        "└──┘",
      ])
    expectScreen(
      rendered(Block(badge: "LIN"), width: 8, height: 2),
      [
        "┌─ LIN ┐",
        "└──────┘",
      ])
    expectScreen(
      rendered(Block(badge: "LIN"), width: 6, height: 2),
      [
        "┌────┐",
        "└────┘",
      ])
  }

  @Test func focusedBlockUsesHeavyBorderAndAccentStyle() {
    let accent = Style(foreground: .yellow, attributes: .bold)
    let buffer = rendered(
      Block(title: "A", focused: true, focusedStyle: accent), width: 7, height: 3)
    expectScreen(
      buffer,
      [
        "┏ A ━━┓",
        "┃     ┃",
        "┗━━━━━┛",
      ])
    #expect(buffer[0, 0].style == accent && buffer[6, 1].style == accent)
    #expect(buffer[2, 0].style.foreground == .yellow && buffer[2, 0].style.attributes == .bold)
  }

  @Test func asciiBorders() {
    expectScreen(
      rendered(Block(title: "Log", glyphs: .ascii), width: 9, height: 3),
      [
        "+ Log --+",
        "|       |",
        "+-------+",
      ])
    expectScreen(
      rendered(Block(glyphs: .ascii, focused: true), width: 4, height: 3),
      [
        "#==#",
        "#  #",
        "#==#",
      ])
  }

  @Test func tooSmallForABorderDrawsNothing() {
    for (w, h) in [(0, 0), (1, 1), (1, 5), (5, 1)] {
      let buffer = rendered(Block(title: "T"), width: w, height: h, fill: ".")
      #expect(buffer.lines.allSatisfy { $0.allSatisfy { $0 == "." } }, "\(w)×\(h)")
      #expect(Block().inner(of: Rect(x: 3, y: 4, width: w, height: h)).isEmpty)
    }
    expectScreen(
      rendered(Block(title: "T"), width: 2, height: 2),
      [
        "┌┐",
        "└┘",
      ])
  }

  @Test func partlyOutsideTheBuffer() {
    let buffer = rendered(
      Block(title: "Loss"), width: 6, height: 3, area: Rect(x: -2, y: 1, width: 7, height: 4))
    expectScreen(
      buffer,
      [
        "      ",
        "Lo… ┐ ",
        "    │ ",
      ])
    expectSafeInAwkwardAreas(Block(title: "Loss", badge: "LOG"))
  }
}

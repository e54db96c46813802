import Testing

@testable import SPTUI

@Suite struct BufferTests {
  @Test func writeClipsToMaxWidthAndBuffer() {
    var buffer = Buffer(width: 6, height: 2)
    let end = buffer.write("abcdef", x: 1, y: 0, maxWidth: 3)
    #expect(end == 4)
    buffer.write("xyz", x: -1, y: 1)
    buffer.write("1234567", x: 4, y: 1)
    buffer.write("never", x: 0, y: 2)
    expectScreen(
      buffer,
      [
        " abc  ",
        "yz  12",
      ])
  }

  @Test func writeReplacesScalarsThatAreNotOneColumnWide() {
    var buffer = Buffer(width: 8, height: 1)
    buffer.write("a漢\u{301}\tη…😀z", x: 0, y: 0)
    expectScreen(buffer, ["a???η…?z"])
    #expect(Cell.isSingleColumn("─") && Cell.isSingleColumn("⣿") && Cell.isSingleColumn("é"))
    #expect(!Cell.isSingleColumn("\u{7F}") && !Cell.isSingleColumn("\u{200B}"))
  }

  @Test func fillAndSetStyleClipToTheBuffer() {
    var buffer = Buffer(width: 4, height: 3)
    buffer.fill(Rect(x: -1, y: 1, width: 3, height: 5), with: Cell("#"))
    let red = Style(foreground: .red)
    buffer.setStyle(Rect(x: 1, y: 0, width: 9, height: 1), red)
    expectScreen(
      buffer,
      [
        "    ",
        "##  ",
        "##  ",
      ])
    #expect(buffer[0, 0].style == .plain && buffer[3, 0].style == red)
    #expect(buffer[-1, 0] == .blank && buffer[4, 4] == .blank)
  }

  @Test func diffListsOnlyChangedCellsInRowOrder() {
    let before = Buffer(width: 5, height: 3)
    var after = before
    #expect(after.diff(from: before).isEmpty)
    after[4, 0] = Cell("a")
    after[1, 2] = Cell("b")
    after[2, 2] = Cell(" ", style: Style(attributes: .bold))
    #expect(
      after.diff(from: before) == [
        Buffer.Change(x: 4, y: 0, cell: Cell("a")), Buffer.Change(x: 1, y: 2, cell: Cell("b")),
        Buffer.Change(x: 2, y: 2, cell: Cell(" ", style: Style(attributes: .bold))),
      ])
    var reverted = after
    reverted[4, 0] = .blank
    #expect(reverted.diff(from: after) == [Buffer.Change(x: 4, y: 0, cell: .blank)])
  }

  @Test func diffAfterAResizeRepaintsEverything() {
    var small = Buffer(width: 2, height: 1)
    small[1, 0] = Cell("z")
    let big = Buffer(width: 2, height: 2)
    let changes = small.diff(from: big)
    #expect(changes.map(\.x) == [0, 1] && changes.map(\.y) == [0, 0])
    #expect(changes[1].cell.symbol == "z")
    #expect(Buffer(width: 0, height: 0).diff(from: big).isEmpty)
  }

  @Test func linesKeepTrailingBlanks() {
    var buffer = Buffer(width: 3, height: 2)
    buffer[0, 1] = Cell("q")
    #expect(buffer.lines == ["   ", "q  "])
    #expect(Buffer(width: -2, height: 3).lines == ["", "", ""])
  }
}

import Testing

@testable import SPTUI

@Suite struct TableTests {
  let columns = [
    Table.Column("Model", width: .flexible(1)),
    Table.Column("Loss", width: .fixed(8), alignment: .right),
  ]
  let rows: [[TableCell]] = [
    ["vanilla", "1.23e-02"], ["penalised", "4.56e-03"], ["structure-preserving", "7.89e-31"],
  ]

  @Test func headerRowsAndAlignment() {
    let table = Table(columns: columns, rows: rows)
    expectScreen(
      rendered(table, width: 30, height: 4),
      [
        "Model                     Loss",
        "vanilla               1.23e-02",
        "penalised             4.56e-03",
        "structure-preserving  7.89e-31",
      ])
  }

  @Test func truncatesWithAnEllipsisWhenNarrow() {
    let table = Table(columns: columns, rows: rows)
    expectScreen(
      rendered(table, width: 16, height: 4),
      [
        "Model       Loss",
        "vanilla 1.23e-02",
        "penali… 4.56e-03",
        "struct… 7.89e-31",
      ])
    // Too narrow even for the fixed column: the flexible column is left with nothing and the
    // fixed one shrinks and is cut too.
    expectScreen(
      rendered(table, width: 5, height: 2),
      [
        " Loss",
        " 1.2…",
      ])
  }

  @Test func asciiEllipsis() {
    let table = Table(columns: columns, rows: rows, glyphs: .ascii, showHeader: false)
    expectScreen(rendered(table, width: 12, height: 1), ["va~ 1.23e-02"])
  }

  @Test func selectedRowIsHighlightedAcrossTheWidthAndScrolledIntoView() {
    let reverse = Style(attributes: .reverse)
    let table = Table(columns: columns, rows: rows, selectedRow: 2, selectedStyle: reverse)
    let buffer = rendered(table, width: 30, height: 3)
    expectScreen(
      buffer,
      [
        "Model                     Loss",
        "penalised             4.56e-03",
        "structure-preserving  7.89e-31",
      ])
    #expect((0..<30).allSatisfy { buffer[$0, 2].style == reverse })
    #expect(buffer[0, 1].style == .plain)
    #expect(table.firstVisibleRow(bodyHeight: 2) == 1)
    #expect(table.firstVisibleRow(bodyHeight: 3) == 0)
  }

  @Test func perCellAndHeaderStyles() {
    let red = Style(foreground: .red)
    let header = Style(attributes: .underline)
    let table = Table(
      columns: columns, rows: [["a", TableCell("9", style: red)]], headerStyle: header)
    let buffer = rendered(table, width: 14, height: 2)
    expectScreen(
      buffer,
      [
        "Model     Loss",
        "a            9",
      ])
    #expect(buffer[13, 1].style == red && buffer[0, 1].style == .plain)
    #expect(buffer[0, 0].style == header && buffer[5, 0].style == header)
  }

  @Test func missingCellsAndFlexibleWeights() {
    let table = Table(
      columns: [
        Table.Column("A", width: .flexible(1)), Table.Column("B", width: .flexible(2)),
        Table.Column("C", width: .fixed(1)),
      ],
      rows: [["1"], ["1", "2", "3", "ignored"]], columnSpacing: 0)
    expectScreen(
      rendered(table, width: 7, height: 3),
      [
        "A B   C",
        "1      ",
        "1 2   3",
      ])
  }

  @Test func tinyAndAwkwardAreas() {
    let table = Table(columns: columns, rows: rows, selectedRow: 1)
    expectScreen(rendered(table, width: 1, height: 1), [" "])
    expectScreen(
      rendered(table, width: 3, height: 2),
      [
        " L…",
        " 4…",
      ])
    expectScreen(
      rendered(Table(columns: [columns[0]], rows: rows), width: 1, height: 2),
      [
        "…",
        "…",
      ])
    expectScreen(rendered(table, width: 0, height: 0), [])
    expectSafeInAwkwardAreas(table)
    expectSafeInAwkwardAreas(Table(columns: [], rows: [["x"]]))
  }
}

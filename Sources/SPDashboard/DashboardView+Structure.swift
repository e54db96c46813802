import SPEngine
import SPNumerics
import SPTUI

/// The structure matrix: architectures × properties, each cell EXACT, the measured error, or ✗
/// — the table the seed argues for, computed live rather than asserted.
extension DashboardView {
  static let matrixProperties: [(StructureProperty, String)] = [
    (.additivity, "additivity"), (.homogeneity, "homogeneity"),
    (.positiveHomogeneity, "pos. homog."), (.oddness, "oddness"), (.energy, "energy"),
    (.mass, "mass"),
  ]

  /// One cell: its text and style. Guaranteed and exact: "✓ EXACT"; exact by measurement only:
  /// "EXACT"; violated: the error; a guaranteed property that is not exact (a bug): "✗ value".
  func matrixCell(_ d: ModelDiagnostics, _ p: StructureProperty, guaranteed: Bool) -> TableCell {
    let value = d.value(of: p)
    let exact = d.isExact(p)
    if !value.isFinite { return TableCell(text("✗ —"), style: theme.alarm) }
    switch (guaranteed, exact) {
    case (true, true): return TableCell(text("✓ EXACT"), style: theme.good)
    case (false, true): return TableCell("EXACT", style: theme.accent)
    case (true, false): return TableCell(text("✗ ") + Self.sci(value), style: theme.alarm)
    case (false, false): return TableCell(Self.sci(value), style: theme.text)
    }
  }

  func renderMatrix(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    let n = s.settings.n
    let eps = Double(n) * Double.ulpOfOne
    let block = Block(
      title: text(" structure matrix · target \(s.settings.target.rawValue) "),
      badge: " m ", glyphs: glyphs, borderStyle: theme.focusedBorder, titleStyle: theme.title,
      badgeStyle: theme.accent)
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    guard !inner.isEmpty else { return }
    let note = text(
      "EXACT: below n·ε = \(NumberFormat.sci(eps, digits: 2))   ✓ guaranteed by the architecture"
        + "   ✗ guaranteed yet violated")
    buffer.write(note, x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
    var columns = [Table.Column("model", width: .fixed(12))]
    columns += Self.matrixProperties.map {
      Table.Column($0.1, width: .flexible(1), alignment: .right)
    }
    columns += [
      Table.Column(text("‖N(0)‖"), width: .fixed(9), alignment: .right),
      Table.Column("dead", width: .fixed(6), alignment: .right),
      Table.Column("a-priori", width: .fixed(9), alignment: .right),
    ]
    let rows: [[TableCell]] = s.models.enumerated().map { i, m in
      var row = [TableCell(m.label, style: seriesStyle(m, index: i))]
      guard let d = m.diagnostics else {
        return row + Array(repeating: TableCell("—", style: theme.muted), count: columns.count - 1)
      }
      row += Self.matrixProperties.map {
        matrixCell(d, $0.0, guaranteed: m.guarantees.contains($0.0))
      }
      row.append(TableCell(Self.sci(d.offset), style: theme.text))
      row.append(
        TableCell(d.deadUnits.map { "\($0)/\(d.reluUnits)" } ?? "—", style: theme.text))
      row.append(TableCell(Self.sci(d.aprioriError), style: theme.text))
      return row
    }
    let tableArea = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
    Table(
      columns: columns, rows: rows, glyphs: glyphs, style: theme.text,
      headerStyle: theme.label.adding(.underline), selectedRow: state.focus,
      selectedStyle: theme.selection
    ).render(in: tableArea, into: &buffer)
  }
}

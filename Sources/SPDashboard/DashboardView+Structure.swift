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

  /// One cell, from the verdict (`ModelDiagnostics.verdict`, the one `sptop run` uses):
  /// guaranteed and exact: "✓ EXACT"; exact without a guarantee: "EXACT"; measured: the float64
  /// value; a guaranteed property violated beyond rounding (a bug): "✗ value"; a non-finite value
  /// without a violation (a diverged model): "—", muted.
  /// In an ensemble `d` is the worst seed's (so EXACT only when every seed is) and a measured
  /// cell shows the median over the seeds and the worst, "3.1e-02/8.0e-02", where both fit,
  /// else the median.
  func matrixCell(
    _ d: ModelDiagnostics, _ p: StructureProperty, width: Int, median: Double? = nil
  ) -> TableCell {
    let value = d.value(of: p)
    if let median, d.verdict(p) == .measured {
      let half = (width - 1) / 2
      if half >= 7 {
        return TableCell(
          sci(median, width: half) + "/" + sci(value, width: width - half - 1), style: theme.text)
      }
      return TableCell(sci(median, width: width), style: theme.text)
    }
    switch d.verdict(p) {
    case .guaranteedExact: return TableCell(text("✓ EXACT"), style: theme.good)
    case .exact: return TableCell("EXACT", style: theme.accent)
    case .violated: return TableCell(text("✗ ") + sci(value, width: width - 2), style: theme.alarm)
    case .notFinite: return TableCell(glyphs.missing, style: theme.muted)
    case .measured: return TableCell(sci(value, width: width), style: theme.text)
    }
  }

  func renderMatrix(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    let n = s.settings.n
    let block = Block(
      title: text(" structure matrix · target \(s.settings.target.rawValue) "),
      badge: " m ", glyphs: glyphs, borderStyle: theme.focusedBorder, titleStyle: theme.title,
      badgeStyle: theme.accent)
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    guard !inner.isEmpty else { return }
    let threshold = NumberFormat.sci(ModelDiagnostics.verdictThreshold, digits: 0)
    let note = text(
      (s.ensemble.map {
        "\(EnsembleSummary.seedCount($0.seeds.count)): median/worst; EXACT: every seed's defect"
      }
        ?? "EXACT: defect") + " in Float80 ≤ \(threshold)   ✓ guaranteed by the architecture"
        + "   ✗ guaranteed yet violated   — not finite")
    buffer.write(note, x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
    // Past the six properties: the offset, dead units and a-priori error while they fit (the
    // a-priori error goes first, it is in the models panel too, then dead units, then the
    // offset), and whether the architecture can represent f at all.
    let settings = s.settings
    let dash = TableCell(glyphs.missing, style: theme.muted)
    var extras: [(title: String, width: Int, cell: (ModelDiagnostics) -> TableCell)] = [
      ("‖N(0)‖", 9, { TableCell(self.sci($0.offset, width: 9), style: self.theme.text) }),
      (
        "dead", 6,
        { d in
          TableCell(
            d.deadUnits.map { "\($0)/\(d.reluUnits)" } ?? self.glyphs.missing,
            style: self.theme.text)
        }
      ),
      ("a-priori", 9, { TableCell(self.sci($0.aprioriError, width: 9), style: self.theme.text) }),
    ]
    let essential = 13 + Self.matrixProperties.count * 9 + 8
    while !extras.isEmpty, essential + extras.reduce(0, { $0 + $1.width + 1 }) > inner.width {
      extras.removeLast()
    }
    var columns = [Table.Column("model", width: .fixed(12))]
    columns += Self.matrixProperties.map {
      Table.Column($0.1, width: .flexible(1), alignment: .right)
    }
    columns += extras.map {
      Table.Column(text($0.title), width: .fixed($0.width), alignment: .right)
    }
    columns.append(Table.Column("N = f?", width: .fixed(7), alignment: .right))
    // Each property's cell fits its column: fewer digits where the exponent needs the room.
    let propertyWidth =
      Table(columns: columns, rows: []).columnRects(in: inner).dropFirst().first?.width ?? 9
    let rows: [[TableCell]] = s.models.enumerated().map { i, m in
      let represents = settings.target.exactlyRepresentable(
        by: m.architecture, n: n, width: settings.hiddenWidth)
      let fits =
        represents ? TableCell("yes", style: theme.good) : TableCell("no", style: theme.muted)
      let name = TableCell(m.label, style: seriesStyle(m, index: i))
      guard let d = m.diagnostics else {
        return [name] + Array(repeating: dash, count: columns.count - 2) + [fits]
      }
      return [name]
        + Self.matrixProperties.map {
          matrixCell(
            d, $0.0, width: propertyWidth, median: m.ensemble?.properties[$0.0]?.median)
        }
        + extras.map { $0.cell(d) } + [fits]
    }
    // The table, then (where there is room) what the target is and what each column measures.
    let legend =
      evidenceLines(s, width: inner.width) + matrixLegend(s, shown: Set(extras.map(\.title)))
    let tableHeight = min(inner.height - 2, rows.count + 1)
    let tableArea = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: tableHeight)
    let legendTop = tableArea.y + tableHeight + 1
    for (k, line) in legend.enumerated() where legendTop + k < inner.y + inner.height {
      buffer.write(
        line, x: inner.x, y: legendTop + k, style: k == 0 ? theme.label : theme.muted,
        maxWidth: inner.width)
    }
    var table = Table(
      columns: columns, rows: rows, glyphs: glyphs, style: theme.text,
      headerStyle: theme.label.adding(.underline), selectedRow: state.focus,
      selectedStyle: theme.selection)
    let (up, down) = unicode ? ("▲", "▼") : ("^", "v")
    table.hiddenRowsText = { above, below in
      var parts: [String] = []
      if above > 0 { parts.append("\(up) \(above) more") }
      if below > 0 { parts.append("\(down) \(below) more") }
      return parts.joined(separator: "  ")
    }
    table.render(in: tableArea, into: &buffer)
  }

  /// An ensemble's evidence against vanilla under the matrix: per model, on each property, the
  /// seeds where it is lower of those compared and the sign test's p, wrapped to `width`.
  func evidenceLines(_ s: SessionSnapshot, width: Int) -> [String] {
    guard let tests = s.ensemble?.evidence, let against = tests.first?.against else { return [] }
    var lines = [
      text(
        "evidence against \(against), seed by seed (exact sign test): seeds lower / compared, p")
    ]
    let names = Dictionary(
      uniqueKeysWithValues: Self.matrixProperties.map { ($0.0.rawValue, $0.1) })
    var models: [String] = []
    for t in tests where !models.contains(t.model) { models.append(t.model) }
    for model in models {
      var line = text("\(model) < \(against):")
      for t in tests where t.model == model {
        let item = text(
          "\(names[t.property] ?? (t.property == "apriori_error" ? "a-priori" : t.property)) "
            + "\(t.lower_in)/\(t.of) p \(t.pText)")
        if line.unicodeScalars.count + item.unicodeScalars.count + 2 > width {
          lines.append(line)
          line = "  "
        }
        line += "  " + item
      }
      lines.append(line)
    }
    return lines
  }

  /// What the target is and has, and what each column of the matrix measures (README, Metrics),
  /// one line each; `shown` names the optional columns on screen.
  func matrixLegend(_ s: SessionSnapshot, shown: Set<String>) -> [String] {
    let target = s.settings.target
    let has = Self.matrixProperties.filter { target.properties.contains($0.0) }.map(\.1)
    let definitions: [(String, String)?] = [
      ("additivity", "‖N(x + y) − N(x) − N(y)‖ / ‖N(x) + N(y)‖"),
      ("homogeneity", "max over λ ∈ [−10, 10] of ‖N(λ x) − λ N(x)‖ / ‖λ N(x)‖"),
      ("pos. homog.", "the same over λ > 0"),
      ("oddness", "‖N(−p) + N(p)‖ / (‖N(p)‖ + ‖N(−p)‖), max over the probes p"),
      ("energy", "|⟨p, N(p)⟩| / (‖p‖ ‖N(p)‖), max over p"),
      ("mass", "|Σᵢ N(p)ᵢ| / (√n ‖N(p)‖), max over p"),
      shown.contains("‖N(0)‖") ? ("‖N(0)‖", "the offset, absolute") : nil,
      shown.contains("dead") ? ("dead", "ReLU units never active on the probes") : nil,
      ("N = f?", "whether some parameters of the architecture give N = f exactly"),
    ]
    return [
      text(
        "target \(target.rawValue): f(x) = \(target.formula); f has \(has.joined(separator: ", "))")
    ]
      + definitions.compactMap { $0 }.map { name, meaning in
        text(name.padding(toLength: 13, withPad: " ", startingAt: 0) + meaning)
      }
  }
}

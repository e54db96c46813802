import SPEngine
import SPTUI

/// The lineup pane: one row per model with its η, live sparklines and structure errors.
extension DashboardView {
  /// The pane's columns; wider terminals get more of them.
  enum Column: Hashable {
    case name, eta, lossSpark, loss, aprioriSpark, apriori, additivity, homMax, status, iteration
    case rate
  }

  func columns(width: Int) -> [(Column, Constraint, String)] {
    var c: [(Column, Constraint, String)] = [
      (.name, .length(12), "model"), (.eta, .length(8), "η"),
      (.lossSpark, .fill(1), "loss"), (.loss, .length(8), ""),
      (.aprioriSpark, .fill(1), "a-priori error"), (.apriori, .length(8), ""),
      (.additivity, .length(10), "additivity"), (.homMax, .length(10), "hom max"),
    ]
    if width >= 110 {
      c.append((.status, .length(8), "status"))
      c.insert((.iteration, .length(8), "iter"), at: 2)
    }
    if width >= 150 { c.append((.rate, .length(9), "steps/s")) }
    return c
  }

  func renderModels(
    _ s: SessionSnapshot, in area: Rect, rowHeight height: Int, into buffer: inout Buffer
  ) {
    let block = Block(
      title: " models ", badge: state.logScale ? " LOG " : " LIN ", glyphs: glyphs,
      borderStyle: theme.border, titleStyle: theme.title, badgeStyle: theme.accent)
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    guard inner.height >= 1 else { return }
    let cols = columns(width: inner.width)
    let rects = Layout.horizontal(
      Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), cols.map(\.1), spacing: 1)
    for (i, col) in cols.enumerated() {
      let r = rects[i]
      let right = [.eta, .additivity, .homMax, .iteration, .rate].contains(col.0)
      let label = text(col.2)
      let x = right ? r.right - label.unicodeScalars.count : r.x
      buffer.write(label, x: max(r.x, x), y: r.y, style: theme.label, maxWidth: r.width)
    }
    for (index, model) in s.models.enumerated() {
      let y = inner.y + 1 + index * height
      guard y < inner.bottom else { break }
      let rowRect = Rect(
        x: inner.x, y: y, width: inner.width, height: min(height, inner.bottom - y))
      renderModelRow(model, index: index, columns: cols, in: rowRect, into: &buffer)
    }
  }

  func renderModelRow(
    _ m: ModelSnapshot, index: Int, columns cols: [(Column, Constraint, String)], in row: Rect,
    into buffer: inout Buffer
  ) {
    let focused = index == state.focus
    if focused { buffer.setStyle(row, theme.selection) }
    let base = focused ? theme.text.with(background: theme.selection.background) : theme.text
    let series = seriesStyle(m, index: index).with(
      background: focused ? theme.selection.background : theme.background)
    let rects = Layout.horizontal(row, cols.map(\.1), spacing: 1)
    let diverged = m.status == .diverged
    let scale: Sparkline.Scale = state.logScale ? .log10 : .linear
    for (i, col) in cols.enumerated() {
      let r = rects[i]
      func cell(_ t: String, _ style: Style, right: Bool = true) {
        let w = t.unicodeScalars.count
        buffer.write(
          t, x: right ? max(r.x, r.right - w) : r.x, y: r.y, style: style, maxWidth: r.width)
      }
      switch col.0 {
      case .name:
        let marker = focused ? text("▶ ") : "  "
        cell(marker + m.label, focused ? series.adding(.bold) : series, right: false)
      case .eta: cell(Self.sci(m.eta), base)
      case .iteration: cell(String(m.iteration), base)
      case .lossSpark:
        Sparkline(m.lossHistory.buckets.map(\.last), scale: scale, style: series, glyphs: glyphs)
          .render(in: r, into: &buffer)
      case .loss: cell(Self.sci(m.loss), base)
      case .aprioriSpark:
        if diverged && !cols.contains(where: { $0.0 == .status }) {
          cell("DIVERGED", theme.alarm, right: false)
        } else {
          Sparkline(
            m.aprioriHistory.buckets.map(\.last), scale: scale, style: series, glyphs: glyphs
          )
          .render(in: r, into: &buffer)
        }
      case .apriori: cell(Self.sci(m.aprioriError), base)
      case .additivity: cell(Self.sci(m.structure.additivity), base)
      case .homMax: cell(Self.sci(m.structure.maxHomogeneity), base)
      case .status:
        switch m.status {
        case .diverged: cell("DIVERGED", theme.alarm, right: false)
        case .done: cell("done", theme.muted, right: false)
        case .training: cell("training", theme.muted, right: false)
        }
      case .rate:
        cell(NumberFormat.compact(m.stepsPerSecond.rounded(), significantDigits: 3), base)
      }
    }
  }
}

import SPEngine
import SPTUI

/// The lineup pane: one row per model with its η, live sparklines and structure errors.
extension DashboardView {
  /// The pane's columns; wider terminals get more of them.
  enum Column: Hashable {
    case name, eta, lossSpark, loss, aprioriSpark, apriori, additivity, homMax, status, iteration
    case rate
  }

  /// Cells of "3.0e-01 [2.4e-01 4.1e-01]": an ensemble's median and quartiles.
  static let bandWidth = 25

  /// The pane's columns; wider terminals get more of them. The name column is 12 cells, wider
  /// (up to 16, or 22 from 110 columns) when a label needs it, so that cut names stay apart.
  func columns(width: Int, longestLabel: Int = 0, ensemble: Bool = false)
    -> [(Column, Constraint, String)]
  {
    let nameWidth = min(width >= 110 ? 22 : 16, max(12, longestLabel + 2))
    // An ensemble's figures are "median [q1 q3]" where the width allows (from 140 columns the
    // a-priori error, from 190 every structure error too), else the median alone.
    let band = Self.bandWidth
    var c: [(Column, Constraint, String)] = [
      (.name, .length(nameWidth), "model"), (.eta, .length(8), "η"),
      (.lossSpark, .fill(1), "loss"), (.loss, .length(8), ""),
      (.aprioriSpark, .fill(1), "a-priori error"),
      (.apriori, .length(ensemble && width >= 140 ? band : 8), ""),
      (.additivity, .length(ensemble && width >= 190 ? band : 10), "additivity"),
      (.homMax, .length(ensemble && width >= 190 ? band : 10), "hom max"),
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
    // Rows past the pane scroll: the focused row stays in view, and the bottom edge says how
    // many rows are hidden above and below.
    let visible = max(1, (area.height - 3) / max(1, height))
    let first = Self.firstVisibleRow(focus: state.focus, visible: visible, count: s.models.count)
    let above = first
    let below = max(0, s.models.count - first - visible)
    var hidden: [String] = []
    if above > 0 { hidden.append(text("▲ \(above) more")) }
    if below > 0 { hidden.append(text("▼ \(below) more")) }
    let block = Block(
      title: " models ", badge: state.logScale ? " LOG " : " LIN ", glyphs: glyphs,
      borderStyle: theme.border, titleStyle: theme.title, badgeStyle: theme.accent,
      footer: hidden.isEmpty ? nil : hidden.joined(separator: "  "))
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    guard inner.height >= 1 else { return }
    let longest = s.models.map { $0.label.unicodeScalars.count }.max() ?? 0
    let cols = columns(width: inner.width, longestLabel: longest, ensemble: s.ensemble != nil)
    let rects = Layout.horizontal(
      Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), cols.map(\.1), spacing: 1)
    for (i, col) in cols.enumerated() {
      let r = rects[i]
      let right = [.eta, .additivity, .homMax, .iteration, .rate].contains(col.0)
      // A heading that does not fit gives way to its first word ("a-priori error" to
      // "a-priori"), else is cut with an ellipsis.
      let full = text(col.2)
      let short = full.split(separator: " ").first.map(String.init) ?? full
      let label = (full.unicodeScalars.count <= r.width ? full : short)
        .truncated(to: r.width, ellipsis: glyphs.ellipsis)
      let x = right ? r.right - label.unicodeScalars.count : r.x
      buffer.write(label, x: max(r.x, x), y: r.y, style: theme.label, maxWidth: r.width)
    }
    for (index, model) in s.models.enumerated() where index >= first {
      let y = inner.y + 1 + (index - first) * height
      guard y < inner.bottom else { break }
      let rowRect = Rect(
        x: inner.x, y: y, width: inner.width, height: min(height, inner.bottom - y))
      renderModelRow(model, index: index, columns: cols, in: rowRect, into: &buffer)
    }
  }

  /// The first model row shown when `visible` rows fit: 0 while the focus is among the first
  /// `visible`, else so that the focused row is the last one shown.
  static func firstVisibleRow(focus: Int, visible: Int, count: Int) -> Int {
    let f = min(max(0, focus), max(0, count - 1))
    return max(0, min(f - visible + 1, count - visible))
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
      // Text wider than its cell is cut with an ellipsis, never silently.
      func cell(_ t: String, _ style: Style, right: Bool = true) {
        let shown = t.truncated(to: r.width, ellipsis: glyphs.ellipsis)
        let w = shown.unicodeScalars.count
        buffer.write(
          shown, x: right ? max(r.x, r.right - w) : r.x, y: r.y, style: style, maxWidth: r.width)
      }
      func number(_ v: Double) { cell(sci(v, width: r.width), base) }
      // An ensemble's figure: "median [q1 q3]" when the cell holds it, else the median.
      func figure(_ v: Double, _ stats: SeedStatistics?) {
        if let stats, r.width >= Self.bandWidth, let a = stats.q1, let b = stats.q3 {
          cell("\(sci(v, width: 7)) [\(sci(a, width: 7)) \(sci(b, width: 7))]", base)
        } else {
          number(v)
        }
      }
      switch col.0 {
      case .name:
        let marker = focused ? text("▶ ") : "  "
        let name = m.label.truncatedKeepingSuffix(to: r.width - 2, ellipsis: glyphs.ellipsis)
        cell(marker + name, focused ? series.adding(.bold) : series, right: false)
      case .eta: number(m.eta)
      case .iteration: cell(String(m.iteration), base)
      case .lossSpark:
        Sparkline(m.lossHistory.buckets.map(\.last), scale: scale, style: series, glyphs: glyphs)
          .render(in: r, into: &buffer)
      case .loss: number(m.loss)
      case .aprioriSpark:
        if diverged && !cols.contains(where: { $0.0 == .status }) {
          cell("DIVERGED", theme.alarm, right: false)
        } else {
          Sparkline(
            m.aprioriHistory.buckets.map(\.last), scale: scale, style: series, glyphs: glyphs
          )
          .render(in: r, into: &buffer)
        }
      case .apriori: figure(m.aprioriError, m.ensemble?.apriori)
      case .additivity: figure(m.structure.additivity, m.ensemble?.additivity)
      case .homMax: figure(m.structure.maxHomogeneity, m.ensemble?.homogeneityMax)
      case .status:
        // An ensemble: how many of its seeds diverged, while some still train.
        if let e = m.ensemble, e.diverged > 0, e.diverged < e.seeds {
          cell("\(e.diverged)/\(e.seeds) DIV", theme.alarm, right: false)
          continue
        }
        switch m.status {
        case .diverged: cell("DIVERGED", theme.alarm, right: false)
        case .done: cell("done", theme.muted, right: false)
        case .paused: cell("paused", theme.warning, right: false)
        case .training: cell("training", theme.muted, right: false)
        }
      case .rate:
        // The model's own speed, while it trains; a model that is not stepping has none.
        if m.status == .training, m.stepsPerSecond > 0 {
          cell(NumberFormat.compact(m.stepsPerSecond.rounded(), significantDigits: 3), base)
        } else {
          cell(glyphs.missing, theme.muted)
        }
      }
    }
  }
}

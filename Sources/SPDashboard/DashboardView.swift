import SPEngine
import SPTUI

/// The whole dashboard as one widget: header, model rows, the focused model's chart, the λ panel,
/// the key hints and the help overlay, drawn from one immutable session snapshot.
public struct DashboardView: Widget {
  public static let minimumWidth = 80
  public static let minimumHeight = 24

  public var snapshot: SessionSnapshot?
  public var state: DashboardState
  public var theme: Theme
  public var glyphs: Glyphs
  public var keyMap: KeyMap
  /// A one-line message for the status line (errors, notices); nil for none.
  public var message: String?

  public init(
    snapshot: SessionSnapshot?, state: DashboardState, theme: Theme = .dark,
    glyphs: Glyphs = .unicode, keyMap: KeyMap = .standard, message: String? = nil
  ) {
    self.snapshot = snapshot
    self.state = state
    self.theme = theme
    self.glyphs = glyphs
    self.keyMap = keyMap
    self.message = message
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    buffer.fill(area, with: Cell(" ", style: theme.text.with(background: theme.background)))
    if area.width < Self.minimumWidth || area.height < Self.minimumHeight {
      renderTooSmall(in: area, into: &buffer)
      return
    }
    guard let snapshot else {
      CenteredMessage(["sptop: preparing the models…"], style: theme.muted)
        .render(in: area, into: &buffer)
      return
    }
    let (height, pane) = modelsPane(count: snapshot.models.count, in: area)
    let parts = Layout.vertical(area, [.length(1), .length(pane), .fill(1), .length(1)])
    renderHeader(snapshot, in: parts[0], into: &buffer)
    renderModels(snapshot, in: parts[1], rowHeight: height, into: &buffer)
    renderLower(snapshot, in: parts[2], into: &buffer)
    renderFooter(in: parts[3], into: &buffer)
    if let picker = state.picker {
      renderPicker(picker, snapshot, in: area, into: &buffer)
    }
    if let editor = state.settingsEditor {
      renderSettings(editor, snapshot, in: area, into: &buffer)
    }
    if state.showHelp {
      HelpOverlay(
        title: "sptop keys",
        entries: keyMap.helpEntries.map { HelpEntry(text($0.keys), text($0.description)) },
        glyphs: glyphs,
        keyStyle: theme.accent, descriptionStyle: theme.text, style: theme.text,
        borderStyle: theme.focusedBorder
      ).render(in: area, into: &buffer)
    }
  }

  /// Whether the glyph set is Unicode (braille charts); otherwise text is spelled in ASCII.
  var unicode: Bool { glyphs.braille }

  /// `s` as the terminal can show it.
  func text(_ s: String) -> String { unicode ? s : ASCIIText.transliterate(s) }

  /// The models pane: each row's height and the pane's (border and column heads included).
  /// Rows are two cells tall (taller sparklines) from 40 lines up when every model fits so; the
  /// pane takes at most 45% of the lines between header and footer (at least one model row),
  /// so the charts and the footer stay on screen however many models there are; rows that do
  /// not fit scroll (`renderModels`).
  func modelsPane(count: Int, in area: Rect) -> (rowHeight: Int, height: Int) {
    let cap = max(4, (area.height - 2) * 45 / 100)
    let tall = area.height >= 40 && count * 2 + 3 <= cap
    let rowHeight = tall ? 2 : 1
    return (rowHeight, min(cap, max(1, count) * rowHeight + 3))
  }

  func renderTooSmall(in area: Rect, into buffer: inout Buffer) {
    CenteredMessage(
      [
        Line(
          text("sptop needs at least \(Self.minimumWidth)×\(Self.minimumHeight)"),
          style: theme.warning),
        Line(text("this terminal is \(area.width)×\(area.height)"), style: theme.text),
        Line("enlarge it, or press q to quit", style: theme.muted),
      ]
    ).render(in: area, into: &buffer)
  }

  func renderHeader(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    let stateStyle: Style
    switch s.state {
    case .running: stateStyle = theme.good
    case .paused: stateStyle = theme.warning
    case .done: stateStyle = theme.accent
    }
    let total = s.settings.iterations
    let progress = total > 0 ? "\(s.step)/\(total)" : "\(s.step)"
    let wide = area.width >= 100
    // Fields in the order shown, each with a rank: when the line is too long for the terminal
    // the lowest-ranked fields give way whole (never a field cut in the middle).
    var fields: [(rank: Int, spans: [Span])] = []
    func field(_ rank: Int, _ label: String, _ value: String) {
      fields.append((rank, [Span(label, style: theme.muted), Span(value, style: theme.text)]))
    }
    fields.append((100, [Span(" sptop ", style: theme.title.adding(.reverse))]))
    if let rec = s.recording, let path = rec.path {
      // The file name whole where the terminal allows; else cut in the middle, keeping its
      // start and its extension.
      let name = fileName(path).truncatedInTheMiddle(
        to: max(16, area.width - 50), ellipsis: glyphs.ellipsis)
      fields.append(
        (90, [Span(" "), Span(text("● REC "), style: theme.alarm), Span(name, style: theme.text)]))
    }
    if s.replaySource != nil {
      var spans = [Span(" "), Span("REPLAY", style: theme.accent)]
      if let speed = state.replaySpeed {
        spans.append(Span(" " + text("×") + NumberFormat.compact(speed), style: theme.muted))
      }
      fields.append((95, spans))
    }
    if let fork = s.fork {
      // "fork of run.jsonl@2000": the parent log's name whole where it fits, else cut in the
      // middle as the recording's is.
      let name = fileName(fork.path).truncatedInTheMiddle(
        to: max(16, area.width - 60), ellipsis: glyphs.ellipsis)
      fields.append(
        (
          85,
          [
            Span(" fork of ", style: theme.muted), Span(name, style: theme.text),
            Span("@\(fork.step)", style: theme.muted),
          ]
        ))
    }
    fields.append((99, [Span(" "), Span(s.state.rawValue.uppercased(), style: stateStyle)]))
    field(98, "  step ", progress)
    if let unit = state.replaySeekStep {
      fields.append((75, [Span(text("  ←→ ±") + "\(unit)", style: theme.muted)]))
    }
    fields.append(
      (
        80,
        [
          Span("  ", style: theme.muted),
          Span(text(rateText(s)), style: theme.text),
          Span(wide ? " steps/s" : "/s", style: theme.muted),
        ]
      ))
    if let pace = s.pace { field(78, "  pace ", text(pace.description)) }
    field(70, "  ", Self.clock(s.elapsed))
    if let e = s.ensemble {
      let seeds = e.text.unicodeScalars.count <= 16 ? e.text : "×\(e.seeds.count)"
      field(60, "  seeds ", text(seeds))
    } else {
      field(60, "  seed ", String(s.settings.seed))
    }
    field(50, "  n ", String(s.settings.n))
    field(30, "  batch ", String(s.settings.batch))
    field(40, "  ", s.settings.optimizer.rawValue)
    if area.width >= 110 { field(20, "  init ", s.settings.initScheme.rawValue) }
    func width(_ f: [(rank: Int, spans: [Span])]) -> Int {
      f.reduce(0) { $0 + $1.spans.reduce(0) { $0 + $1.width } }
    }
    while width(fields) > area.width,
      let lowest = fields.indices.min(by: {
        fields[$0].rank < fields[$1].rank
      }), fields[lowest].rank < 99
    {
      fields.remove(at: lowest)
    }
    buffer.write(Line(fields.flatMap(\.spans)), x: area.x, y: area.y, maxWidth: area.width)
  }

  /// The header's rate: session steps per second over the last half second while running ("—"
  /// until it is measured); at PAUSED and DONE nothing runs, so it is the mean over the time
  /// spent running, marked "avg".
  func rateText(_ s: SessionSnapshot) -> String {
    let rate = NumberFormat.compact(s.stepsPerSecond.rounded(), significantDigits: 3)
    guard s.state == .running else { return "avg " + rate }
    return s.rateMeasured ? rate : "—"
  }

  func renderFooter(in area: Rect, into buffer: inout Buffer) {
    if let message {
      buffer.write(
        Line(text(message), style: theme.warning), x: area.x, y: area.y, maxWidth: area.width)
      return
    }
    var hints = keyMap.hints
    if state.inspection != nil {
      // While the cursor is shown, ← / → move it (a replay seeks again once Esc has left it).
      let seek = [DashboardAction.back, .forward].map { keyMap.keys(for: $0).first }
      hints.removeAll { h in
        seek.contains { $0.map(KeyMap.name(of:)) == h.key }
          && (h.label == "Back" || h.label == "Fwd")
      }
      hints.insert(
        contentsOf: [KeyHint("←→", "Cursor"), KeyHint("Esc", "Leave cursor")], at: 0)
    }
    KeyHints(
      Self.fitting(
        hints.map { KeyHint(text($0.key), text($0.label)) }, width: area.width, gap: 2),
      keyStyle: theme.selection.adding(.reverse), labelStyle: theme.muted
    )
    .render(in: area, into: &buffer)
  }

  /// The hints that fit in `width` columns: the last two (help and quit) always, then the
  /// others by priority (their order): each that still fits is kept, in order, one too long
  /// for the room left is skipped for a shorter one after it.
  static func fitting(_ hints: [KeyHint], width: Int, gap: Int) -> [KeyHint] {
    func size(_ h: KeyHint) -> Int {
      h.key.unicodeScalars.count + (h.label.isEmpty ? 0 : 1 + h.label.unicodeScalars.count)
    }
    let total = hints.map(size).reduce(0, +) + gap * max(0, hints.count - 1)
    guard total > width, hints.count > 2 else { return hints }
    let essential = Array(hints.suffix(2))
    var used = essential.map(size).reduce(0, +) + gap
    var kept: [KeyHint] = []
    for h in hints.dropLast(2) {
      let extra = size(h) + gap
      if used + extra > width { continue }
      kept.append(h)
      used += extra
    }
    return kept + essential
  }

  /// The last component of a path.
  func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// hh:mm:ss of a duration in seconds.
  public static func clock(_ seconds: Double) -> String {
    // Clamped first: a replayed log may carry any number here, and Int(1e300) would trap.
    let t = seconds.isFinite ? Int(min(max(0, seconds), 1e12)) : 0
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    return "\(two(t / 3600)):\(two(t / 60 % 60)):\(two(t % 60))"
  }

  /// Three significant digits; the glyph set's missing mark for a value that is not finite.
  func sci(_ v: Double) -> String { NumberFormat.sci(v, digits: 3, nonFinite: glyphs.missing) }

  /// At most three significant digits in at most `width` columns (fewer digits where the
  /// exponent needs room); the glyph set's missing mark ("—", "-") for a value not finite. Longer than `width` only when
  /// not even one digit fits: the cell then cuts it with an ellipsis.
  func sci(_ v: Double, width: Int) -> String {
    NumberFormat.sci(v, width: width, digits: 3, nonFinite: glyphs.missing)
  }

  func seriesStyle(_ m: ModelSnapshot, index: Int) -> Style {
    Style(
      foreground: theme.seriesColor(architecture: m.architecture, index: index),
      background: theme.background)
  }
}

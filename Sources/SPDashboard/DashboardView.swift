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
    let height = rowHeight(for: area)
    let modelRows = snapshot.models.count * height
    let parts = Layout.vertical(
      area, [.length(1), .length(modelRows + 3), .fill(1), .length(1)])
    renderHeader(snapshot, in: parts[0], into: &buffer)
    renderModels(snapshot, in: parts[1], rowHeight: height, into: &buffer)
    renderLower(snapshot, in: parts[2], into: &buffer)
    renderFooter(in: parts[3], into: &buffer)
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

  /// Model rows are two cells tall (taller sparklines) once the terminal has room for it.
  func rowHeight(for area: Rect) -> Int { area.height >= 40 ? 2 : 1 }

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
    let rate = NumberFormat.compact(s.stepsPerSecond.rounded(), significantDigits: 3)
    let wide = area.width >= 100
    var spans: [Span] = [
      Span(" sptop ", style: theme.title.adding(.reverse)),
      Span(" ", style: theme.text),
    ]
    if s.replaySource != nil {
      spans += [Span("REPLAY", style: theme.accent), Span(" ", style: theme.text)]
      if let speed = state.replaySpeed {
        spans.append(Span(text("×") + NumberFormat.compact(speed) + " ", style: theme.muted))
      }
    }
    spans += [
      Span(s.state.rawValue.uppercased(), style: stateStyle),
      Span("  step ", style: theme.muted), Span(progress, style: theme.text),
      Span("  ", style: theme.muted), Span(rate, style: theme.text),
      Span(wide ? " steps/s" : "/s", style: theme.muted),
      Span("  ", style: theme.muted), Span(Self.clock(s.elapsed), style: theme.text),
      Span("  seed ", style: theme.muted), Span(String(s.settings.seed), style: theme.text),
      Span("  n ", style: theme.muted), Span(String(s.settings.n), style: theme.text),
      Span("  batch ", style: theme.muted), Span(String(s.settings.batch), style: theme.text),
      Span("  ", style: theme.muted), Span(s.settings.optimizer.rawValue, style: theme.text),
    ]
    if let rec = s.recording, let path = rec.path {
      spans =
        [Span(text("● REC "), style: theme.alarm), Span(fileName(path) + " ", style: theme.text)]
        + spans
    }
    if area.width >= 110 {
      spans += [
        Span("  init ", style: theme.muted),
        Span(s.settings.initScheme.rawValue, style: theme.text),
      ]
    }
    buffer.write(Line(spans), x: area.x, y: area.y, maxWidth: area.width)
  }

  func renderFooter(in area: Rect, into buffer: inout Buffer) {
    if let message {
      buffer.write(
        Line(text(message), style: theme.warning), x: area.x, y: area.y, maxWidth: area.width)
      return
    }
    KeyHints(
      Self.fitting(
        keyMap.hints.map { KeyHint(text($0.key), text($0.label)) }, width: area.width, gap: 2),
      keyStyle: theme.selection.adding(.reverse), labelStyle: theme.muted
    )
    .render(in: area, into: &buffer)
  }

  /// The hints that fit in `width` columns: the last two (help and quit) always, then as many
  /// of the others, in order, as leave room for them.
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
      if used + extra > width { break }
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

  /// Three significant digits, "—" for a value that is not finite.
  static func sci(_ v: Double) -> String { NumberFormat.sci(v, digits: 3, nonFinite: "—") }

  func seriesStyle(_ m: ModelSnapshot, index: Int) -> Style {
    Style(
      foreground: theme.seriesColor(architecture: m.architecture, index: index),
      background: theme.background)
  }
}

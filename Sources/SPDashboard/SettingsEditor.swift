import SPEngine
import SPNumerics
import SPTUI

/// The settings popup `e` opens (btop's options menu is the model): the focused model's
/// optimiser, batch, penalty weight, width and init, for it or for every model, and the
/// session's target and n, which restart every model. ↑ / ↓ choose a row, ← / → change its
/// value, Enter applies what changed (checked as the flags are: a refusal is shown in the popup,
/// which stays open; a new target or n asks first, y or Enter to restart every model, Esc to go
/// back), Esc closes without a change.
public struct SettingsEditor: Sendable, Hashable {
  public enum Row: Int, CaseIterable, Sendable {
    case scope, optimizer, batch, penaltyWeight, width, initScheme
    /// The session's, apart from the model rows.
    case target, n

    var title: String {
      switch self {
      case .scope: "apply to"
      case .optimizer: "optimizer"
      case .batch: "batch"
      case .penaltyWeight: "penalty weight"
      case .width: "width"
      case .initScheme: "init"
      case .target: "target"
      case .n: "n"
      }
    }

    /// Whether it is one of the session's rows (they restart every model).
    var isSession: Bool { self == .target || self == .n }
  }

  /// The focused model's position when the popup opened.
  public var model: Int
  public var row: Row = .optimizer
  public var everyModel = false
  public let original: ModelSettings
  public var values: ModelSettings
  /// The session's target and n when the popup opened, and as edited.
  public let originalTarget: TargetKind
  public let originalN: Int
  public var target: TargetKind
  public var n: Int
  /// Enter asked whether to restart every model on the edited target and n.
  public var confirming = false
  /// Why Enter was refused, shown in the popup.
  public var refusal: String?

  /// The popup over model `model` trained with `settings`, in a session of `session`'s target
  /// and n.
  public init(model: Int, settings: ModelSettings, session: SessionSettings) {
    self.model = model
    original = settings
    values = settings
    originalTarget = session.target
    originalN = session.n
    target = session.target
    n = session.n
  }

  /// Whether the session's target or n was edited.
  public var changesProblem: Bool { target != originalTarget || n != originalN }

  /// The edited target and n as the marker will say them (`target skew, n 8`).
  var problemChange: ProblemChange {
    ProblemChange(
      step: 0, target: target == originalTarget ? nil : target, n: n == originalN ? nil : n)
  }

  /// What changed, as settings to send.
  public var changes: [ModelSetting] {
    var out: [ModelSetting] = []
    if values.optimizer != original.optimizer { out.append(.optimizer(values.optimizer)) }
    if values.batch != original.batch { out.append(.batch(values.batch)) }
    if values.penaltyWeight != original.penaltyWeight {
      out.append(.penaltyWeight(values.penaltyWeight))
    }
    if values.width != original.width, let w = values.width { out.append(.width(w)) }
    if values.initScheme != original.initScheme { out.append(.initScheme(values.initScheme)) }
    return out
  }

  /// The next value of a closed set, `step` places on (wrapping).
  static func cycle<T: CaseIterable & Equatable>(_ value: T, _ step: Int) -> T {
    let all = Array(T.allCases)
    let i = all.firstIndex(of: value) ?? 0
    return all[(i + step + all.count) % all.count]
  }

  /// ← (step −1) or → (+1) on the current row: closed sets cycle, numbers halve or double
  /// (n goes one at a time).
  mutating func change(_ step: Int) {
    refusal = nil
    switch row {
    case .scope: everyModel.toggle()
    case .optimizer: values.optimizer = Self.cycle(values.optimizer, step)
    case .initScheme: values.initScheme = Self.cycle(values.initScheme, step)
    case .batch: values.batch = max(1, step > 0 ? values.batch * 2 : values.batch / 2)
    case .penaltyWeight:
      let w = values.penaltyWeight
      values.penaltyWeight = step > 0 ? (w == 0 ? 1 : w * 2) : (w <= 1.0 / 1024 ? 0 : w / 2)
    case .width:
      let w = values.width ?? n
      values.width = max(1, step > 0 ? w * 2 : w / 2)
    case .target: target = Self.cycle(target, step)
    case .n: n = max(1, n + step)
    }
  }

  /// The popup's reaction to a key: closes (true) with the effects to carry out, or stays.
  mutating func handle(_ key: Key, session: SessionSnapshot?) -> (
    close: Bool, effects: [DashboardEffect]
  ) {
    if confirming {
      switch key {
      case .enter, .character("y"): return (true, effects)
      case .escape, .character("n"), .character("q"): confirming = false
      default: break
      }
      return (false, [])
    }
    let rows = Row.allCases
    switch key {
    case .up, .character("k"): row = rows[(row.rawValue + rows.count - 1) % rows.count]
    case .down, .character("j"), .tab: row = rows[(row.rawValue + 1) % rows.count]
    case .left, .character("h"): change(-1)
    case .right, .character("l"): change(1)
    case .escape, .character("q"): return (true, [])
    case .enter:
      if changes.isEmpty && !changesProblem { return (true, []) }
      if let s = session, let why = whyRefused(in: s) {
        refusal = why
        return (false, [])
      }
      if changesProblem {
        confirming = true
        return (false, [])
      }
      return (true, effects)
    default: break
    }
    return (false, [])
  }

  /// What Enter sends: the new target and n first (every model restarts), then the model's
  /// changes, checked against the new problem.
  var effects: [DashboardEffect] {
    let problem: [DashboardEffect] =
      changesProblem ? [.session(.setProblem(target: target, n: n))] : []
    return problem
      + changes.map { .session(.configure(model: everyModel ? nil : model, setting: $0)) }
  }

  /// Why the session `s` would refuse the edited values, as the flags would (the session's
  /// own check, on its side, has the last word), or nil.
  func whyRefused(in s: SessionSnapshot) -> String? {
    let targets = everyModel ? Set(s.models.indices) : [model]
    let changes = self.changes
    // With a new target or n every model is checked on it; else only those that change.
    let checked = s.models.indices.filter { changesProblem || targets.contains($0) }
    let settings = checked.compactMap { i -> ModelSettings? in
      guard var m = s.models[i].settings else { return nil }
      if targets.contains(i) { for c in changes { m = m.with(c) } }
      return m
    }
    let architectures = s.models.map(\.architecture)
    guard changesProblem else {
      return ModelSetting.refusal(settings, architectures: architectures, session: s.settings)
    }
    let total = s.settings.iterations
    if total > 0 && s.step >= total {
      return "the run is done (step \(s.step)/\(total)): restarted models would never train; "
        + "start sptop with more --iterations"
    }
    return ProblemChange.refusal(
      target: target, n: n, models: settings, architectures: architectures, session: s.settings)
  }
}

extension DashboardView {
  func renderSettings(
    _ editor: SettingsEditor, _ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer
  ) {
    let label = s.models.indices.contains(editor.model) ? s.models[editor.model].label : "?"
    let v = editor.values
    func value(_ row: SettingsEditor.Row) -> String {
      switch row {
      case .scope: editor.everyModel ? "every model" : "\(label) only"
      case .optimizer: v.optimizer.rawValue
      case .batch: "\(v.batch)"
      case .penaltyWeight: "\(v.penaltyWeight)"
      case .width: "\(v.width ?? editor.n)"
      case .initScheme: v.initScheme.rawValue
      case .target: editor.target.rawValue
      case .n: "\(editor.n)"
      }
    }
    var changed: Set<SettingsEditor.Row> = Set(
      editor.changes.map { c -> SettingsEditor.Row in
        switch c {
        case .optimizer: .optimizer
        case .batch: .batch
        case .penaltyWeight: .penaltyWeight
        case .width: .width
        case .initScheme: .initScheme
        }
      })
    if editor.target != editor.originalTarget { changed.insert(.target) }
    if editor.n != editor.originalN { changed.insert(.n) }
    let note = "width and init start the model again (a marker); the rest go on from it"
    let session = "session (every model restarts):"
    let help =
      editor.confirming
      ? "y / Enter restart every model  Esc back" : "↑↓ row  ←→ change  Enter apply  Esc cancel"
    let lines = SettingsEditor.Row.allCases.map { r in
      (r.title.padding(toLength: 16, withPad: " ", startingAt: 0) + value(r), r)
    }
    let width = max(note.count, help.count, (lines.map { $0.0.count }.max() ?? 0) + 4) + 4
    // The model's rows, the session's under their heading, a blank row, two rows for the note,
    // a refusal or the question, and the keys.
    guard
      var writer = openPopup(
        title: "settings of \(editor.everyModel ? "every model" : label)", width: width,
        height: lines.count + 7, in: area, into: &buffer)
    else { return }
    func line(_ t: String, _ style: Style) { writer.write(t, style, into: &buffer) }
    for (t, r) in lines {
      if r == .target { line(session, theme.muted) }
      let padded = t.padding(toLength: max(t.count, writer.width), withPad: " ", startingAt: 0)
      let style =
        r == editor.row && !editor.confirming
        ? theme.text.adding(.reverse) : (changed.contains(r) ? theme.accent : theme.text)
      line(padded, style)
    }
    writer.skip()
    let message: (String, Style)
    if let why = editor.refusal {
      message = (why, theme.alarm)
    } else if editor.confirming {
      message = ("restart every model with \(editor.problemChange.description)?", theme.warning)
    } else if editor.row.isSession || editor.changesProblem {
      message = ("a new target or n restarts every model (fresh parameters, a marker)", theme.muted)
    } else {
      message = (note, theme.muted)
    }
    let wrapped = Self.wrap(message.0, width: writer.width, lines: 2)
    for t in wrapped { line(t, message.1) }
    if wrapped.count < 2 { writer.skip() }
    line(help, theme.accent)
  }

  /// `text` in at most `lines` rows of `width` characters, broken at spaces (the last row is
  /// cut by the writer if it is still too long).
  static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
    var rows: [String] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      if rows.count == lines - 1 || rest.count <= width {
        rows.append(String(rest))
        break
      }
      let head = rest.prefix(width + 1)
      let cut = head.lastIndex(of: " ") ?? rest.index(rest.startIndex, offsetBy: width)
      rows.append(String(rest[..<cut]))
      rest = rest[cut...].drop { $0 == " " }
    }
    return rows
  }
}

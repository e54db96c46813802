import SPEngine
import SPNumerics
import SPTUI

/// The settings popup `e` opens (btop's options menu is the model): the focused model's
/// optimiser, batch, penalty weight, width and init, for it or for every model. ↑ / ↓ choose a
/// row, ← / → change its value, Enter applies what changed (checked as the flags are: a refusal
/// is shown in the popup, which stays open), Esc closes without a change.
public struct SettingsEditor: Sendable, Hashable {
  public enum Row: Int, CaseIterable, Sendable {
    case scope, optimizer, batch, penaltyWeight, width, initScheme

    var title: String {
      switch self {
      case .scope: "apply to"
      case .optimizer: "optimizer"
      case .batch: "batch"
      case .penaltyWeight: "penalty weight"
      case .width: "width"
      case .initScheme: "init"
      }
    }
  }

  /// The focused model's position when the popup opened.
  public var model: Int
  public var row: Row = .optimizer
  public var everyModel = false
  public let original: ModelSettings
  public var values: ModelSettings
  /// Why Enter was refused, shown in the popup.
  public var refusal: String?

  public init(model: Int, settings: ModelSettings) {
    self.model = model
    original = settings
    values = settings
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

  /// ← (step −1) or → (+1) on the current row: closed sets cycle, numbers halve or double.
  mutating func change(_ step: Int, n: Int) {
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
    }
  }

  /// The popup's reaction to a key: closes (true) with the effects to carry out, or stays.
  mutating func handle(_ key: Key, session: SessionSnapshot?) -> (
    close: Bool, effects: [DashboardEffect]
  ) {
    let rows = Row.allCases
    switch key {
    case .up, .character("k"): row = rows[(row.rawValue + rows.count - 1) % rows.count]
    case .down, .character("j"), .tab: row = rows[(row.rawValue + 1) % rows.count]
    case .left, .character("h"): change(-1, n: session?.settings.n ?? 1)
    case .right, .character("l"): change(1, n: session?.settings.n ?? 1)
    case .escape, .character("q"): return (true, [])
    case .enter:
      let changes = self.changes
      if changes.isEmpty { return (true, []) }
      if let s = session {
        let targets = everyModel ? Array(s.models.indices) : [model]
        let settings = targets.compactMap { i -> ModelSettings? in
          guard s.models.indices.contains(i), var m = s.models[i].settings else { return nil }
          for c in changes { m = m.with(c) }
          return m
        }
        if let why = ModelSetting.refusal(
          settings, architectures: s.models.map(\.architecture), session: s.settings)
        {
          refusal = why
          return (false, [])
        }
      }
      return (
        true, changes.map { .session(.configure(model: everyModel ? nil : model, setting: $0)) }
      )
    default: break
    }
    return (false, [])
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
      case .width: "\(v.width ?? s.settings.n)"
      case .initScheme: v.initScheme.rawValue
      }
    }
    let changed: Set<SettingsEditor.Row> = Set(
      editor.changes.map { c -> SettingsEditor.Row in
        switch c {
        case .optimizer: .optimizer
        case .batch: .batch
        case .penaltyWeight: .penaltyWeight
        case .width: .width
        case .initScheme: .initScheme
        }
      })
    let note = "width and init start the model again (a marker); the rest go on from it"
    let help = "↑↓ row  ←→ change  Enter apply  Esc cancel"
    let lines = SettingsEditor.Row.allCases.map { r in
      (r.title.padding(toLength: 16, withPad: " ", startingAt: 0) + value(r), r)
    }
    let width = max(note.count, help.count, (lines.map { $0.0.count }.max() ?? 0) + 4) + 4
    guard
      var writer = openPopup(
        title: "settings of \(editor.everyModel ? "every model" : label)", width: width,
        height: lines.count + 5, in: area, into: &buffer)
    else { return }
    func line(_ t: String, _ style: Style) { writer.write(t, style, into: &buffer) }
    for (t, r) in lines {
      let padded = t.padding(toLength: max(t.count, writer.width), withPad: " ", startingAt: 0)
      let style =
        r == editor.row
        ? theme.text.adding(.reverse) : (changed.contains(r) ? theme.accent : theme.text)
      line(padded, style)
    }
    writer.skip()
    if let why = editor.refusal {
      line(why, theme.alarm)
    } else {
      line(note, theme.muted)
    }
    line(help, theme.accent)
  }
}

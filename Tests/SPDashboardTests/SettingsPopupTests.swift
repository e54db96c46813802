import SPEngine
import SPNumerics
import SPTUI
import Testing

@testable import SPDashboard

/// The settings popup at the smallest size: every row, the session's under their heading, the
/// question before every model restarts, and a long refusal shown whole.
@Suite struct SettingsPopupTests {
  /// The fixture's session with each model's settings, as a live session has them.
  static func session() -> SessionSnapshot {
    var s = Fixtures.snapshot()
    for i in s.models.indices { s.models[i].settings = ModelSettings(s.settings) }
    return s
  }

  static func popup(_ editor: SettingsEditor, _ s: SessionSnapshot, _ w: Int = 80, _ h: Int = 24)
    -> [String]
  {
    var state = DashboardState()
    state.settingsEditor = editor
    return DashboardViewTests().render(w, h, state: state, snapshot: s).lines
  }

  @Test func everyRowAndTheQuestionFitAt80x24() {
    let s = Self.session()
    var editor = SettingsEditor(
      model: 0, settings: s.models[0].settings!, session: s.settings)
    let lines = Self.popup(editor, s)
    let text = lines.joined(separator: "\n")
    for title in ["apply to", "optimizer", "batch", "penalty weight", "width", "init", "target"] {
      #expect(lines.contains { $0.contains("│ \(title) ") }, "\(title)\n\(text)")
    }
    #expect(lines.contains { $0.contains("│ n               5") }, "\(text)")
    #expect(text.contains("session (every model restarts):"))
    #expect(text.contains("↑↓ row  ←→ change  Enter apply  Esc cancel") && !text.contains("…"))
    // target skew, n 8: Enter asks before every model restarts.
    editor.row = .target
    _ = editor.handle(.right, session: s)
    editor.row = .n
    for _ in 0..<3 { _ = editor.handle(.right, session: s) }
    #expect(editor.target == .skew && editor.n == 8)
    #expect(editor.handle(.enter, session: s).close == false && editor.confirming)
    let asking = Self.popup(editor, s).joined(separator: "\n")
    #expect(asking.contains("restart every model with target skew, n 8?"), "\(asking)")
    #expect(asking.contains("y / Enter restart every model  Esc back"))
    // Esc goes back to editing; Enter, then y, restarts.
    #expect(editor.handle(.escape, session: s).close == false && !editor.confirming)
    _ = editor.handle(.enter, session: s)
    let (close, effects) = editor.handle(.character("y"), session: s)
    #expect(close && effects == [.session(.setProblem(target: .skew, n: 8))])
  }

  @Test func refusalsStayInThePopupWhole() {
    let s = Self.session()
    var editor = SettingsEditor(
      model: 0, settings: s.models[0].settings!, session: s.settings)
    editor.row = .target
    _ = editor.handle(.right, session: s)  // skew
    editor.row = .n
    for _ in 0..<4 { _ = editor.handle(.left, session: s) }  // n 1
    #expect(editor.handle(.enter, session: s).close == false && !editor.confirming)
    let refused = Self.popup(editor, s).joined(separator: "\n")
    #expect(refused.contains("target skew: needs n ≥ 2 (at n = 1 the target is identically"))
    // Far past the memory limit: the message in two rows, the limit included.
    editor.n = 1 << 20
    _ = editor.handle(.enter, session: s)
    let memory = Self.popup(editor, s)
    #expect(memory.contains { $0.contains("needs about") })
    #expect(memory.contains { $0.contains("half of this machine's memory)") })
  }
}

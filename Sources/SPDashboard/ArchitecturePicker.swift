import SPEngine
import SPNumerics
import SPTUI

/// The picker over the catalogue that `c` (replace the focused model) and `i` (add a model)
/// open: one row per registered architecture, with its guarantees and whether it can represent
/// the session's target exactly at the session's n and width. ↑ / ↓ move, Enter chooses, Esc
/// closes without a change.
public struct ArchitecturePicker: Sendable, Hashable {
  public enum Purpose: Sendable, Hashable {
    /// Replace model `model` (its position) by the chosen architecture.
    case replace(model: Int)
    /// Add a model of the chosen architecture at the end of the lineup.
    case add
  }

  public var purpose: Purpose
  /// The highlighted row: an index into `ArchitectureRegistry.entries`.
  public var selection: Int

  public init(purpose: Purpose, selection: Int = 0) {
    self.purpose = purpose
    self.selection = selection
  }

  /// The architecture names, in the catalogue's order.
  public static var names: [String] { ArchitectureRegistry.names }

  /// The picker's reaction to a key: moves, closes (nil picker), or chooses (commands for the
  /// session, the focus on the model it concerns).
  mutating func handle(_ key: Key, modelCount: Int) -> (close: Bool, effects: [DashboardEffect]) {
    let count = Self.names.count
    switch key {
    case .up, .character("k"): selection = (selection + count - 1) % count
    case .down, .character("j"), .tab: selection = (selection + 1) % count
    case .home: selection = 0
    case .end: selection = count - 1
    case .escape, .character("q"): return (true, [])
    case .enter:
      let name = Self.names[selection]
      switch purpose {
      case .replace(let i): return (true, [.session(.replaceModel(model: i, architecture: name))])
      case .add:
        return (
          true,
          [.session(.addModel(architecture: name)), .session(.focus(model: modelCount))]
        )
      }
    default: break
    }
    return (false, [])
  }
}

extension DashboardView {
  /// The picker as a popup over the dashboard: each architecture's name, formula-free summary of
  /// its guarantees and `N = f?` for the session's target at its n and width.
  func renderPicker(
    _ picker: ArchitecturePicker, _ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer
  ) {
    let config = s.settings.architectureConfig
    let short: [StructureProperty: String] = [
      .additivity: "additive", .homogeneity: "homogeneous", .positiveHomogeneity: "pos. homog.",
      .oddness: "odd", .energy: "energy", .mass: "mass",
    ]
    let rows = ArchitectureRegistry.entries.map { entry -> (String, String, String) in
      let guarantees = entry.make(config).guarantees
      let text = StructureProperty.allCases.filter { guarantees.contains($0) }
        .compactMap { short[$0] }.joined(separator: ", ")
      let represents = entry.represents(s.settings.target, s.settings.n, config.width)
      return (entry.name.rawValue, text.isEmpty ? "none" : text, represents ? "yes" : "no")
    }
    let title: String
    switch picker.purpose {
    case .replace(let i):
      let label = s.models.indices.contains(i) ? s.models[i].label : "model \(i + 1)"
      title = "replace \(label) by"
    case .add: title = "add a model"
    }
    let nameWidth = max(12, (rows.map { $0.0.count }.max() ?? 0) + 2)
    let guaranteeWidth = max(10, (rows.map { $0.1.count }.max() ?? 0) + 2)
    let head = "N = f? (\(s.settings.target.rawValue), n \(s.settings.n), width \(config.width))"
    let help = "↑↓ choose  Enter \(picker.purpose == .add ? "add" : "replace")  Esc cancel"
    let inner = max(nameWidth + guaranteeWidth + 6, head.count, help.count)
    guard
      var lines = openPopup(
        title: title, width: inner + 4, height: rows.count + 6, in: area, into: &buffer)
    else { return }
    func line(_ t: String, _ style: Style) { lines.write(t, style, into: &buffer) }
    func pad(_ t: String, _ w: Int) -> String {
      t.count >= w ? t : t + String(repeating: " ", count: w - t.count)
    }
    line(pad("architecture", nameWidth) + pad("guarantees", guaranteeWidth) + "N = f?", theme.muted)
    for (k, row) in rows.enumerated() {
      let t = pad(row.0, nameWidth) + pad(row.1, guaranteeWidth) + row.2
      let selected = k == picker.selection
      line(
        pad(t, lines.width),
        selected ? theme.text.adding(.reverse) : (row.2 == "yes" ? theme.text : theme.muted))
    }
    lines.skip()
    line(head, theme.muted)
    line(help, theme.accent)
  }
}

/// Nothing: a popup of the dashboard draws its box, and its rows are written after it.
struct Blank: Widget {
  func render(in area: Rect, into buffer: inout Buffer) {}
}

/// Writes a popup's rows one after another into its content box, each spelled for the terminal
/// (`DashboardView.text`) and cut with an ellipsis at the box's width; rows past the box's
/// height are left out.
struct PopupLines {
  let box: Rect
  let view: DashboardView
  private var y: Int

  init(box: Rect, view: DashboardView) {
    self.box = box
    self.view = view
    y = box.y
  }

  var width: Int { box.width }

  mutating func write(_ t: String, _ style: Style, into buffer: inout Buffer) {
    guard y < box.y + box.height else { return }
    let shown = view.text(t)
    let fitted =
      shown.unicodeScalars.count > box.width
      ? shown.truncated(to: box.width, ellipsis: view.glyphs.ellipsis) : shown
    buffer.write(fitted, x: box.x, y: y, style: style, maxWidth: box.width)
    y += 1
  }

  /// One blank row.
  mutating func skip() { y += 1 }
}

extension DashboardView {
  /// A popup box of the dashboard's look centred over `area`; the writer of its rows, or nil
  /// when the box has no room.
  func openPopup(
    title: String, width: Int, height: Int, in area: Rect, into buffer: inout Buffer
  ) -> PopupLines? {
    let popup = Popup(
      title: text(title), width: width, height: height, content: Blank(), glyphs: glyphs,
      style: theme.text, borderStyle: theme.focusedBorder, titleStyle: theme.title)
    popup.render(in: area, into: &buffer)
    let box = popup.contentRect(in: area)
    guard box.width > 0, box.height > 0 else { return nil }
    return PopupLines(box: box, view: self)
  }
}

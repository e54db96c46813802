import Foundation
import SPTUI
import Testing

@testable import SPDashboard
@testable import SPEngine

/// The inspection cursor while the big chart follows the tail (`g`): `v` places it on a step,
/// and it keeps that step as new steps arrive and the tail slides under it (as TensorBoard's and
/// W&B's tail views do), its readout the history's values there; once the step has slid out of
/// the window it stands at the left edge and the readout says so. Before, a cursor not yet moved
/// stood on the middle column, so the step it named changed with every frame.
@Suite struct TailCursorTests {
  /// The fixture's session at `step`: every history holds steps 0…step.
  static func session(at step: Int) -> SessionSnapshot {
    var s = Fixtures.snapshot()
    s.step = step
    for (k, decay) in [0.005, 0.001, 0.02].enumerated() {
      s.models[k].iteration = step
      s.models[k].aprioriHistory = Fixtures.history({ exp(-decay * Double($0)) }, count: step + 1)
      s.models[k].lossHistory = Fixtures.history(
        { 2 * exp(-decay * Double($0)) * (1 + 0.3 * sin(Double($0))) }, count: step + 1)
    }
    return s
  }

  static func render(_ state: DashboardState, _ snapshot: SessionSnapshot) -> Buffer {
    var buffer = Buffer(width: 120, height: 40)
    DashboardView(snapshot: snapshot, state: state, glyphs: .unicode)
      .render(in: buffer.area, into: &buffer)
    return buffer
  }

  /// The readout box's rows, from the row that says "step " under the header (whose
  /// "step 400/5000" it is not).
  static func box(_ b: Buffer) -> [String] {
    var under = b
    for x in 0..<under.width { under[x, 0] = .blank }
    return InspectionViewTests.readout(under, first: "step ") ?? []
  }

  /// The readout's first row ("step 350", "step 400 · left edge"), from "step " to the box's end.
  static func stepRow(_ b: Buffer) -> String? {
    box(b).first?.trimmingCharacters(in: .whitespaces)
  }

  /// The readout's a-priori and loss rows match the focused model's histories at `step`.
  static func expectValues(
    _ b: Buffer, _ s: SessionSnapshot, step: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let box = Self.box(b)
    let m = s.models[0]
    func sci(_ h: History) -> String {
      h.value(at: step).map { NumberFormat.sci($0, digits: 3) } ?? "?"
    }
    #expect(box.count >= 3, "\(box)", sourceLocation: sourceLocation)
    guard box.count >= 3 else { return }
    #expect(
      InspectionViewTests.shows(box[1], "━━ a-priori " + sci(m.aprioriHistory)), "\(box)",
      sourceLocation: sourceLocation)
    #expect(
      InspectionViewTests.shows(box[2], "━━ loss " + sci(m.lossHistory)), "\(box)",
      sourceLocation: sourceLocation)
  }

  @Test func theCursorKeepsItsStepAsTheTailSlidesThenStandsAtTheLeftEdge() throws {
    var state = DashboardState()
    state.range = .tail(steps: 100)
    var s = Self.session(at: 400)
    let area = Rect(x: 0, y: 0, width: 120, height: 40)
    let geometry = DashboardView(snapshot: s, state: state, glyphs: .unicode).geometry(in: area)
    _ = state.update(with: .character("v"), keyMap: .standard, modelCount: 3, geometry: geometry)
    // Placed on a step: the middle of the last 100 steps.
    let placed = try #require(state.inspection?.x)
    #expect(placed == placed.rounded() && (330...370).contains(placed), "\(placed)")
    let step = Int(placed)

    var b = Self.render(state, s)
    #expect(Self.stepRow(b) == "step \(step)", "\(b.lines.joined(separator: "\n"))")
    Self.expectValues(b, s, step: step)

    // New steps arrive: the tail slides, the cursor keeps its step while it is shown.
    for now in [420, step + 99, step + 100] {
      s = Self.session(at: now)
      b = Self.render(state, s)
      #expect(Self.stepRow(b) == "step \(step)", "at \(now): \(b.lines.joined(separator: "\n"))")
      Self.expectValues(b, s, step: step)
    }
    // Slid out: at the window's left edge, said, and the values are those of the edge's step.
    for now in [step + 101, step + 250, 900] {
      s = Self.session(at: now)
      b = Self.render(state, s)
      let edge = now - 100
      #expect(
        Self.stepRow(b) == "step \(edge) · left edge",
        "at \(now): \(b.lines.joined(separator: "\n"))")
      Self.expectValues(b, s, step: edge)
    }
    // The cursor's own step is kept: the whole run shows it there again.
    #expect(state.inspection?.x == placed)
    state.range = .whole
    b = Self.render(state, s)
    #expect(Self.stepRow(b) == "step \(step)", "\(b.lines.joined(separator: "\n"))")
    Self.expectValues(b, s, step: step)
    // → from the edge moves it into the window, a column in from the left edge.
    state.range = .tail(steps: 100)
    let slid = DashboardView(snapshot: s, state: state, glyphs: .unicode).geometry(in: area)
    _ = state.update(with: .right, keyMap: .standard, modelCount: 3, geometry: slid)
    let moved = try #require(state.inspection?.x)
    #expect(moved > 800 && moved < 820, "\(moved)")
    b = Self.render(state, s)
    #expect(Self.stepRow(b) == "step \(Int(moved))", "\(b.lines.joined(separator: "\n"))")
  }

  /// The λ panel's cursor is placed on a λ alike (its range never slides); without a geometry
  /// (before the first frame) the cursor stands on the middle until moved, as before.
  @Test func theLambdaCursorIsPlacedToo() throws {
    var state = DashboardState()
    let s = Fixtures.snapshot()
    let geometry = DashboardView(snapshot: s, state: state, glyphs: .unicode)
      .geometry(in: Rect(x: 0, y: 0, width: 120, height: 40))
    _ = state.update(with: .character("v"), keyMap: .standard, modelCount: 3, geometry: geometry)
    _ = state.update(with: .character("v"), keyMap: .standard, modelCount: 3, geometry: geometry)
    #expect(state.inspection?.panel == .lambda)
    let lambda = try #require(state.inspection?.x)
    #expect(abs(lambda) < 1, "\(lambda)")
    var bare = DashboardState()
    _ = bare.update(with: .character("v"), keyMap: .standard, modelCount: 3)
    #expect(bare.inspection == Inspection(panel: .main))
  }
}

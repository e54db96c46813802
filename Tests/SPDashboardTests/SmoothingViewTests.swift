import SPEngine
import SPTUI
import Testing

@testable import SPDashboard

/// The big chart smoothed: its title says the weight and, on a log axis, that the average runs
/// over the logarithms, whole at every size (the rest of the title gives way first).
@Suite struct SmoothingViewTests {
  func chartTitle(_ width: Int, _ height: Int, _ state: DashboardState, glyphs: Glyphs = .unicode)
    -> String
  {
    let lines = DashboardViewTests().render(
      width, height, state: state, snapshot: Fixtures.snapshot(), glyphs: glyphs
    ).lines
    return lines.first { $0.contains("vanilla ") && ($0.hasPrefix("┏") || $0.hasPrefix("#")) }
      ?? ""
  }

  @Test(arguments: [(80, 24), (100, 30), (120, 40), (200, 60)])
  func theTitleSaysTheSmoothingWhole(width: Int, height: Int) {
    for weight in [0.6, 0.9, 0.99] {
      for log in [true, false] {
        var state = DashboardState(logScale: log)
        state.smoothing = weight
        for glyphs in [Glyphs.unicode, .ascii] {
          let title = chartTitle(width, height, state, glyphs: glyphs)
          let said = "smoothed \(weight)" + (log ? " in log space " : " ")
          #expect(title.contains(said), "\(width)×\(height): \(title)")
          // The badge, unless the chart is too narrow for it beside the title (80 columns) and
          // the title says "in log space".
          let chart = title.prefix { $0 != "┓" && $0 != "┐" }.split(separator: "#").first ?? ""
          #expect(
            chart.contains(log ? " LOG " : " LIN ") || (log && width == 80),
            "badge: \(title)")
        }
      }
    }
    // Off: the title as it always was.
    let off = chartTitle(width, height, DashboardState())
    #expect(!off.contains("smoothed"))
  }

  /// The fixture's screen smoothed at 0.9: the smoothed curves over the raw ones (the golden
  /// keeps the text; the raw ones are dim on screen).
  @Test func smoothedScreens() {
    var state = DashboardState()
    state.smoothing = 0.9
    Fixtures.expectScreen(
      DashboardViewTests().render(120, 40, state: state), "dashboard-smoothed-120x40")
    Fixtures.expectScreen(
      DashboardViewTests().render(80, 24, state: state, glyphs: .ascii),
      "dashboard-smoothed-80x24-ascii")
  }

  /// From 200 columns the whole title and the smoothing fit together; at 80 the smoothing alone.
  @Test func aWideChartKeepsTheWholeTitle() {
    var state = DashboardState()
    state.smoothing = 0.99
    #expect(
      chartTitle(200, 60, state).contains(
        " vanilla · a-priori error and loss · smoothed 0.99 in log space "))
    #expect(chartTitle(80, 24, state).contains(" vanilla · smoothed 0.99 in log space "))
  }
}

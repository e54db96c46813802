import SPEngine
import SPTUI
import Testing

@testable import SPDashboard

/// The export key's figures (`DashboardView.exportedPage`) for an ensemble: the medians over
/// their quartile and min–max bands, smoothed and cut to a frozen window as the chart draws
/// them, on the linear axis shown; the λ panel's medians over their bands.
@Suite struct ExportViewTests {
  @Test func anEnsemblesFiguresAreItsMediansOverTheirBandsAsShown() throws {
    let s = InspectionViewTests.ensembleSnapshot()
    var state = DashboardState()
    state.smoothing = 0.9
    state.logScale = false
    state.range = .frozen(lower: 100, upper: 250)
    let page = try #require(DashboardView(snapshot: s, state: state).exportedPage())
    let chart = page.plots[0]
    #expect(!chart.logY)
    let m = s.models[0]
    let e = try #require(m.ensemble)
    let kept = 100.0...250.0
    func expected(_ h: History) -> [Double] {
      Smoothing.ema(h.points, weight: 0.9, scale: .linear).filter { kept.contains($0.x) }.map(\.y)
    }
    let lines = chart.series.filter { !$0.faint }
    #expect(lines.map(\.name) == ["median a-priori", "median loss"])
    #expect(lines[0].points.map(\.y) == expected(e.aprioriBand.median))
    #expect(lines[1].points.map(\.y) == expected(m.lossHistory))
    #expect(chart.bands.map(\.name) == ["min–max", "quartiles"])
    #expect(chart.bands[0].lower.map(\.y) == expected(e.aprioriBand.min))
    #expect(chart.bands[0].upper.map(\.y) == expected(e.aprioriBand.max))
    #expect(chart.bands[1].lower.map(\.y) == expected(e.aprioriBand.q1))
    #expect(chart.bands[1].upper.map(\.y) == expected(e.aprioriBand.q3))
    #expect(chart.bands.allSatisfy { ($0.lower + $0.upper).allSatisfy { kept.contains($0.x) } })
    #expect(chart.notes.contains("smoothed: EMA 0.9"))
    #expect(chart.notes.contains("range: steps 100–250 frozen (of \(s.step))"))
    let svg = page.render()
    #expect(svg.components(separatedBy: "<path class=\"band\"").count == 1 + 2 + 2)
    // The λ panel: the ensemble's median, its quartiles and extremes over the probe's λ.
    let lambda = page.plots[1]
    #expect(lambda.series[0].name == "\(m.label) (median of 5)")
    #expect(lambda.bands.map(\.lower.count) == [s.lambdas.count, s.lambdas.count])
    #expect(lambda.bands[1].upper.map(\.y) == e.homogeneity.map { $0.q3! })
  }
}

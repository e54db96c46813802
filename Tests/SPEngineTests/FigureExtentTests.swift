import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// Exported figures: every piece of text lies inside the page, whatever the models are called.
@Suite struct FigureExtentTests {
  /// Each `<text>` of an SVG with where it starts and ends horizontally (by its anchor and the
  /// font size in force: its own, else its group's, else the page's 12).
  static func textExtents(_ svg: String) -> [(text: String, from: Double, to: Double)] {
    texts(svg).map { ($0.text, $0.from, $0.to) }
  }

  /// Each unrotated `<text>` with its horizontal extent, its baseline and its font size.
  static func texts(
    _ svg: String
  ) -> [(text: String, from: Double, to: Double, baseline: Double, size: Double)] {
    SVGTexts(width: SVGPlot.textWidth).texts(svg)
  }

  static func attribute(_ name: String, _ s: String) -> Double? { SVGTexts.attribute(name, s) }

  static func pageWidth(_ svg: String) -> Double { SVGTexts.pageWidth(svg) }

  static func pageHeight(_ svg: String) -> Double { SVGTexts.pageHeight(svg) }

  /// Every text inside the page: horizontally by its estimated width, vertically from a cap
  /// height above its baseline (0.8 em) to its descenders (0.25 em).
  static func expectInsidePage(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let page = pageWidth(svg)
    let height = pageHeight(svg)
    for t in texts(svg) {
      #expect(
        t.from >= 0 && t.to <= page, "'\(t.text)' spans \(t.from)…\(t.to) of \(page)",
        sourceLocation: sourceLocation)
      #expect(
        t.baseline - 0.8 * t.size >= 0 && t.baseline + 0.25 * t.size <= height,
        "'\(t.text)' at y \(t.baseline) of \(height)", sourceLocation: sourceLocation)
    }
  }

  /// Every architecture's name, with the lineup's `#N` suffixes and the figure's "(step N)".
  @Test(arguments: [1, 3, 12])
  func everyLegendEntryFitsThePage(copies: Int) throws {
    let names = Set(ArchitectureRegistry.names + ArchitectureName.allCases.map(\.rawValue))
    for name in names.sorted() {
      var labels: [String] = []
      for k in 1...copies { labels.append(k == 1 ? name : "\(name)#\(k)") }
      let series = labels.map {
        SVGPlot.Series(
          name: "\($0) (step 1000000)", color: "#000", points: [(-10, 1e-3), (10, 0.5)])
      }
      for plot in [
        SVGPlot(title: "Relative homogeneity error", xLabel: "λ", yLabel: "e", series: series),
        SVGPlot(title: "A-priori error", xLabel: "step", yLabel: "e", series: series, logY: false),
      ] {
        let svg = plot.render()
        #expect(Self.pageWidth(svg) == plot.pageWidth)
        #expect(Self.pageHeight(svg) == plot.pageHeight)
        Self.expectInsidePage(svg)
      }
    }
  }

  /// A lineup longer than the page is tall: the page grows so every legend entry is on it.
  @Test func aLongLineupFitsThePageHeight() {
    for count in [1, 8, 17, 18, 40] {
      let series = (0..<count).map {
        SVGPlot.Series(
          name: "penalized-scaled#\($0 + 1) (step 5000)", color: "#000", points: [(0, 1)])
      }
      let svg = SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: series).render()
      #expect(Self.texts(svg).filter { $0.text.hasPrefix("penalized") }.count == count)
      Self.expectInsidePage(svg)
    }
  }

  /// A smoothed figure: faint series have no legend entry, and the notes under the legend fit
  /// the page (its width from their text, its height from the entries and notes together).
  @Test(arguments: [1, 3, 30])
  func smoothedFiguresKeepTheirNotesOnThePage(models: Int) {
    let names = (0..<models).map { "penalized-scaled#\($0 + 1)" }
    let raw = names.map {
      SVGPlot.Series(name: $0, color: "#000", points: [(0, 1), (1, 0.1)], faint: true)
    }
    let smoothed = names.map {
      SVGPlot.Series(name: $0, color: "#000", points: [(0, 1), (1, 0.5)])
    }
    var plot = SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: raw + smoothed)
    plot.notes = ["smoothed: EMA 0.99 in log space", "raw values faint"]
    let svg = plot.render()
    Self.expectInsidePage(svg)
    #expect(Self.texts(svg).filter { $0.text.hasPrefix("penalized") }.count == models)
    #expect(Self.texts(svg).contains { $0.text == "smoothed: EMA 0.99 in log space" })
    #expect(svg.components(separatedBy: "<path class=\"raw\"").count == models + 1)
    #expect(svg.components(separatedBy: "<path class=\"series\"").count == models + 1)
    // The faint paths come first: drawn behind.
    let firstSeries = svg.range(of: "class=\"series\"")!.lowerBound
    #expect(svg.range(of: "class=\"raw\"")!.lowerBound < firstSeries)
  }

  /// The plot's rectangle: left, top, width, height.
  static func plotRect(_ svg: String) -> (x: Double, y: Double, width: Double, height: Double) {
    let line = svg.split(separator: "\n").map(String.init).first { $0.hasPrefix("<rect x=") } ?? ""
    return (
      attribute("x", line) ?? 0, attribute("y", line) ?? 0, attribute("width", line) ?? 0,
      attribute("height", line) ?? 0
    )
  }

  /// Tick labels over ranges tiny and huge, log and linear: never overlapping, each drawn where
  /// the number it reads falls (so never a rounder, different number), every text on the page.
  @Test(arguments: [false, true])
  func tickLabelsReadCleanly(logY: Bool) {
    let decades = [1, 2, 3, 5, 8, 13, 17, 25, 40, 75, 150, 300]
    let spans: [(Double, Double)] = [
      (0, 1), (-10, 10), (0, 5000), (0, 1e-12), (1e6, 1e6 + 3), (0.1234, 0.1235),
      (-5e300, 5e300), (17, 1_234_567), (1e16, 1e16 + 2), (999, 1001), (-1e-7, 3e-7),
    ]
    var figures = 0
    for (a, b) in spans {
      for d in decades {
        for floorUsed in [false, true] {
          let low = logY ? pow(10, Double(-d)) : a
          let high = logY ? 1.0 : b
          var points: [(x: Double, y: Double)] = [(a, low), (b, high)]
          if floorUsed { points.append((a, logY ? 0 : a)) }
          var plot = SVGPlot(
            title: "t", xLabel: "x", yLabel: "y",
            series: [.init(name: "m", color: "#000", points: points)], logY: logY)
          if logY && floorUsed { plot.floor = low }
          let svg = plot.render()
          figures += 1
          Self.expectInsidePage(svg)
          let rect = Self.plotRect(svg)
          let labels = Self.texts(svg).filter { $0.size == 11 }
          // x: the row under the plot
          let xs = labels.filter { $0.baseline > rect.y + rect.height + 10 }.sorted {
            $0.from < $1.from
          }
          #expect(!xs.isEmpty || b / 2 - a / 2 < abs(a) * 1e-14, "no x labels for \(a)…\(b)")
          for (p, q) in zip(xs, xs.dropFirst()) {
            #expect(q.from - p.to >= 4, "x labels '\(p.text)' '\(q.text)' for \(a)…\(b)")
          }
          for t in xs {
            guard let v = Double(t.text) else {
              Issue.record("x label '\(t.text)'")
              continue
            }
            let x = rect.x + (v / 2 - a / 2) / (b / 2 - a / 2) * rect.width
            #expect(abs(x - (t.from + t.to) / 2) < 0.01, "'\(t.text)' at \(x) for \(a)…\(b)")
          }
          // y: left of the plot, baselines a line apart
          let ys = labels.filter { $0.to <= rect.x }.sorted { $0.baseline < $1.baseline }
          #expect(!ys.isEmpty)
          for (p, q) in zip(ys, ys.dropFirst()) {
            #expect(q.baseline - p.baseline >= 13, "y labels '\(p.text)' '\(q.text)'")
          }
          for t in ys {
            let text = t.text.replacingOccurrences(of: "≤", with: "")
            #expect(Double(text) != nil, "y label '\(t.text)'")
          }
        }
      }
    }
    #expect(figures == spans.count * decades.count * 2)
  }

  /// A sweep's figures — every architecture's name with `#N` suffixes in the legend, a
  /// categorical axis and a crowded numeric one (40 values whose labels cannot all fit) — keep
  /// every text on the page, and the x labels drawn never touch.
  @Test func sweepFiguresFitThePageAndTheirAxisLabelsDoNotTouch() {
    let names = ArchitectureName.allCases.map(\.rawValue) + ["vanilla#2", "linear#12"]
    let etas = (1...40).map { String(format: "%.6f", 0.000123 * Double($0)) }
    let plan = SweepPlan(
      base: ["models": names.joined(separator: ",")],
      axes: [
        SweepPlan.Axis(name: "optimizer", values: ["sgd", "momentum", "adam"]),
        SweepPlan.Axis(name: "eta", values: etas),
      ])
    var rows: [SweepSummary.Row] = []
    for config in 1...plan.count {
      for (m, name) in names.enumerated() {
        let perSeed = SweepSummary.figures.indices.map { f in
          (1...5).map { Double($0 + m + f) * 1e-3 * Double(config) }
        }
        rows.append(
          SweepSummary.Row(
            config: config, log: plan.logName(config), values: plan.values(config), model: name,
            seeds: 5, diverged: 0, perSeed: perSeed, stats: perSeed.map(SeedStatistics.init)))
      }
    }
    let summary = SweepSummary(plan: plan, rows: rows)
    let figures = summary.figures
    // Per figure: against optimizer (pooled, and at each of 40 η: more than 12, none), and
    // against η (pooled, and at each of 3 optimisers).
    #expect(figures.count == 4 * (1 + 1 + 3))
    for (name, plot) in figures {
      let svg = plot.render()
      Self.expectInsidePage(svg)
      let plotBottom = Self.plotRect(svg).y + Self.plotRect(svg).height
      let ticks = Self.texts(svg).filter { abs($0.baseline - (plotBottom + 18)) < 0.5 }
        .sorted { $0.from < $1.from }
      #expect(!ticks.isEmpty, "\(name): x labels")
      for (a, b) in zip(ticks, ticks.dropFirst()) {
        #expect(a.to + SVGPlot.xLabelGap <= b.from, "\(name): '\(a.text)' touches '\(b.text)'")
      }
      if name.hasPrefix("loss-vs-eta") {
        #expect(ticks.count < 40 && ticks.count >= 2, "\(name): thinned, \(ticks.count) labels")
        #expect(ticks.allSatisfy { etas.contains($0.text) })
      }
      if name.hasPrefix("loss-vs-optimizer") {
        #expect(ticks.map(\.text) == ["sgd", "momentum", "adam"], "\(name)")
      }
    }
  }
}

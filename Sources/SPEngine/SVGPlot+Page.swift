import Foundation

extension SVGPlot {
  /// This plot with only the points whose x lies in `range` (its curves' and its bands'), over
  /// an x axis from its start to its end, as a chart of those steps draws them.
  public func restricted(to range: ClosedRange<Double>) -> SVGPlot {
    var plot = self
    plot.xDomain = range
    for k in plot.series.indices {
      plot.series[k].points = plot.series[k].points.filter { range.contains($0.x) }
    }
    for k in plot.bands.indices {
      plot.bands[k].lower = plot.bands[k].lower.filter { range.contains($0.x) }
      plot.bands[k].upper = plot.bands[k].upper.filter { range.contains($0.x) }
    }
    return plot
  }
}

/// Several figures on one SVG page, one under the other, each a nested `<svg>` at its offset
/// (what the dashboard's export key writes: the big chart over the λ panel).
public struct SVGPage: Sendable {
  public var plots: [SVGPlot]

  public init(plots: [SVGPlot]) { self.plots = plots }

  /// The page's width (the widest figure's) and height (the figures' together).
  public var width: Double { plots.map(\.pageWidth).max() ?? 0 }
  public var height: Double { plots.map(\.pageHeight).reduce(0, +) }

  /// Where each figure's top edge is.
  public var offsets: [Double] {
    var y = 0.0
    return plots.map { plot in
      defer { y += plot.pageHeight }
      return y
    }
  }

  public func render() -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))">
      <rect width="100%" height="100%" fill="white"/>

      """
    for (plot, y) in zip(plots, offsets) {
      // The figure's own document, its XML declaration left out, placed at y.
      let figure = plot.render().split(separator: "\n", omittingEmptySubsequences: false)
        .dropFirst().joined(separator: "\n")
      out += figure.replacingOccurrences(
        of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ",
        with: "<svg x=\"0\" y=\"\(Int(y))\" ")
    }
    out += "</svg>\n"
    return out
  }
}

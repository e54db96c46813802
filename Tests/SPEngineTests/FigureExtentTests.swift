import Foundation
import SPNumerics
import Testing

@testable import SPEngine

/// Exported figures: every piece of text lies inside the page, whatever the models are called.
@Suite struct FigureExtentTests {
  /// Each `<text>` of an SVG with where it starts and ends horizontally (by its anchor and the
  /// font size in force: its own, else its group's, else the page's 12).
  static func textExtents(_ svg: String) -> [(text: String, from: Double, to: Double)] {
    var out: [(String, Double, Double)] = []
    var groupSize = 12.0
    for line in svg.split(separator: "\n").map(String.init) {
      if line.hasPrefix("<g"), let s = attribute("font-size", line) { groupSize = s }
      if line.hasPrefix("</g") { groupSize = 12 }
      var rest = Substring(line)
      while let open = rest.range(of: "<text ") {
        let tail = rest[open.upperBound...]
        guard let close = tail.range(of: ">"), let end = tail.range(of: "</text>") else { break }
        let attributes = String(tail[..<close.lowerBound])
        let body = String(tail[close.upperBound..<end.lowerBound])
          .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&")
        let size = attribute("font-size", attributes) ?? groupSize
        let x = attribute("x", attributes) ?? 0
        let w = SVGPlot.textWidth(body, size: size)
        let rotated = attributes.contains("rotate")
        if !rotated {
          if attributes.contains("text-anchor=\"middle\"") {
            out.append((body, x - w / 2, x + w / 2))
          } else if attributes.contains("text-anchor=\"end\"") {
            out.append((body, x - w, x))
          } else {
            out.append((body, x, x + w))
          }
        }
        rest = tail[end.upperBound...]
      }
    }
    return out
  }

  static func attribute(_ name: String, _ s: String) -> Double? {
    guard let r = s.range(of: " \(name)=\"") ?? s.range(of: "\(name)=\"") else { return nil }
    let value = s[r.upperBound...].prefix { $0 != "\"" }
    return Double(value)
  }

  static func pageWidth(_ svg: String) -> Double {
    attribute("width", String(svg.split(separator: "\n")[1])) ?? 0
  }

  /// Every architecture's name, with the lineup's `#N` suffixes and the figure's "(step N)".
  @Test(arguments: [1, 3, 12])
  func everyLegendEntryFitsThePage(copies: Int) throws {
    for name in ArchitectureRegistry.names {
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
        let page = Self.pageWidth(svg)
        #expect(page == plot.pageWidth)
        for t in Self.textExtents(svg) {
          #expect(t.from >= 0 && t.to <= page, "'\(t.text)' spans \(t.from)…\(t.to) of \(page)")
        }
      }
    }
  }
}

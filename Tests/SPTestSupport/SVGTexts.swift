import Foundation

/// The texts of an SVG figure and where they lie, for tests that every text is on the page
/// (`FigureExtentTests`, the dashboard's export key). `width` measures a text at a font size
/// (`SVGPlot.textWidth`).
public struct SVGTexts {
  public let width: (String, Double) -> Double

  public init(width: @escaping (String, Double) -> Double) { self.width = width }

  /// Each unrotated `<text>` with its horizontal extent, its baseline and its font size (its
  /// own, else its group's, else the page's 12).
  public func texts(
    _ svg: String
  ) -> [(text: String, from: Double, to: Double, baseline: Double, size: Double)] {
    var out: [(String, Double, Double, Double, Double)] = []
    var groupSize = 12.0
    for line in svg.split(separator: "\n").map(String.init) {
      if line.hasPrefix("<g"), let s = Self.attribute("font-size", line) { groupSize = s }
      if line.hasPrefix("</g") { groupSize = 12 }
      var rest = Substring(line)
      while let open = rest.range(of: "<text ") {
        let tail = rest[open.upperBound...]
        guard let close = tail.range(of: ">"), let end = tail.range(of: "</text>") else { break }
        let attributes = String(tail[..<close.lowerBound])
        let body = String(tail[close.upperBound..<end.lowerBound])
          .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&")
        let size = Self.attribute("font-size", attributes) ?? groupSize
        let x = Self.attribute("x", attributes) ?? 0
        let y = Self.attribute("y", attributes) ?? 0
        let w = width(body, size)
        if !attributes.contains("rotate") {
          if attributes.contains("text-anchor=\"middle\"") {
            out.append((body, x - w / 2, x + w / 2, y, size))
          } else if attributes.contains("text-anchor=\"end\"") {
            out.append((body, x - w, x, y, size))
          } else {
            out.append((body, x, x + w, y, size))
          }
        }
        rest = tail[end.upperBound...]
      }
    }
    return out
  }

  /// The texts not wholly inside the page, each said with where it lies: horizontally by its
  /// estimated width, vertically from a cap height above its baseline (0.8 em) to its
  /// descenders (0.25 em).
  public func outside(_ svg: String) -> [String] {
    let page = Self.pageWidth(svg)
    let height = Self.pageHeight(svg)
    var out: [String] = []
    for t in texts(svg) {
      if !(t.from >= 0 && t.to <= page) {
        out.append("'\(t.text)' spans \(t.from)…\(t.to) of \(page)")
      }
      if !(t.baseline - 0.8 * t.size >= 0 && t.baseline + 0.25 * t.size <= height) {
        out.append("'\(t.text)' at y \(t.baseline) of \(height)")
      }
    }
    return out
  }

  public static func attribute(_ name: String, _ s: String) -> Double? {
    guard let r = s.range(of: " \(name)=\"") ?? s.range(of: "\(name)=\"") else { return nil }
    let value = s[r.upperBound...].prefix { $0 != "\"" }
    return Double(value)
  }

  public static func pageWidth(_ svg: String) -> Double {
    attribute("width", String(svg.split(separator: "\n")[1])) ?? 0
  }

  public static func pageHeight(_ svg: String) -> Double {
    attribute("height", String(svg.split(separator: "\n")[1])) ?? 0
  }
}

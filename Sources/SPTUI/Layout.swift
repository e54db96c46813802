/// How much room one part of a split takes along the split direction.
public enum Constraint: Hashable, Sendable {
  /// Exactly `n` cells (less only when the parent is too small).
  case length(Int)
  /// `p` percent of the room left after spacing, rounded down.
  case percentage(Int)
  /// At least `n` cells; shares leftover room like `.fill(1)`.
  case min(Int)
  /// No minimum; shares leftover room in proportion to `weight`.
  case fill(Int)
}

/// Arithmetic on rectangles: splits a rectangle into rows or columns by constraints.
///
/// Sizing: lengths, percentages and minimums are given their sizes first; when they add up to
/// more than the room available, the parts at the end shrink first (so a header keeps its row
/// before a footer does). Leftover room goes to `.fill` and `.min` parts by weight, exactly (the
/// remainder is spread so the sizes add up); with no such parts it stays unused at the end.
/// Every result lies inside the parent and has no negative size.
public struct Layout: Hashable, Sendable {
  /// The direction parts follow one another.
  public enum Direction: Hashable, Sendable {
    /// Parts stacked top to bottom (rows).
    case vertical
    /// Parts placed left to right (columns).
    case horizontal
  }

  public var direction: Direction
  public var constraints: [Constraint]
  /// Empty cells between neighbouring parts.
  public var spacing: Int

  public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
    self.direction = direction
    self.constraints = constraints
    self.spacing = max(0, spacing)
  }

  /// Rows of `rect`, top to bottom.
  public static func vertical(_ rect: Rect, _ constraints: [Constraint], spacing: Int = 0)
    -> [Rect]
  {
    Layout(.vertical, constraints, spacing: spacing).split(rect)
  }

  /// Columns of `rect`, left to right.
  public static func horizontal(_ rect: Rect, _ constraints: [Constraint], spacing: Int = 0)
    -> [Rect]
  {
    Layout(.horizontal, constraints, spacing: spacing).split(rect)
  }

  /// One rectangle per constraint, in order.
  public func split(_ rect: Rect) -> [Rect] {
    let extent = direction == .vertical ? rect.height : rect.width
    let sizes = Layout.sizes(of: constraints, extent: extent, spacing: spacing)
    var rects: [Rect] = []
    rects.reserveCapacity(sizes.count)
    var offset = 0
    for size in sizes {
      let start = Swift.min(offset, extent)
      let length = Swift.max(0, Swift.min(size, extent - start))
      switch direction {
      case .vertical:
        rects.append(Rect(x: rect.x, y: rect.y + start, width: rect.width, height: length))
      case .horizontal:
        rects.append(Rect(x: rect.x + start, y: rect.y, width: length, height: rect.height))
      }
      offset = start + length + spacing
    }
    return rects
  }

  /// The sizes the constraints get along an extent of `extent` cells with `spacing` between parts.
  public static func sizes(of constraints: [Constraint], extent: Int, spacing: Int = 0) -> [Int] {
    let n = constraints.count
    guard n > 0 else { return [] }
    let gaps = Swift.max(0, spacing) * (n - 1)
    let room = Swift.max(0, extent - gaps)
    var sizes = constraints.map { c -> Int in
      switch c {
      case .length(let v), .min(let v): return Swift.max(0, v)
      case .percentage(let p): return room * Swift.min(100, Swift.max(0, p)) / 100
      case .fill: return 0
      }
    }
    var excess = sizes.reduce(0, +) - room
    var i = n - 1
    while excess > 0, i >= 0 {
      let cut = Swift.min(excess, sizes[i])
      sizes[i] -= cut
      excess -= cut
      i -= 1
    }
    let leftover = -excess
    guard leftover > 0 else { return sizes }
    let weights = constraints.map { c -> Int in
      switch c {
      case .fill(let w): return Swift.max(0, w)
      case .min: return 1
      case .length, .percentage: return 0
      }
    }
    let total = weights.reduce(0, +)
    guard total > 0 else { return sizes }
    var cumulative = 0
    var given = 0
    for k in 0..<n where weights[k] > 0 {
      cumulative += weights[k]
      let upTo = leftover * cumulative / total
      sizes[k] += upTo - given
      given = upTo
    }
    return sizes
  }
}

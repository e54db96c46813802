/// A time series kept in bounded memory however long the run: at most `capacity` buckets, each
/// holding the min, max and last value of a run of consecutive points. When full, neighbouring
/// buckets merge pairwise and every later bucket covers twice as many points, so the whole run
/// stays drawable at full width while memory stays fixed.
public struct History: Sendable, Hashable {
  /// A run of consecutive points.
  public struct Bucket: Sendable, Hashable {
    public var firstIteration: Int
    public var lastIteration: Int
    public var min: Double
    public var max: Double
    public var last: Double
    public var count: Int
  }

  public let capacity: Int
  public private(set) var buckets: [Bucket]
  /// Points per bucket at the current level (a power of two).
  public private(set) var span = 1
  /// Points appended in all.
  public private(set) var total = 0

  public init(capacity: Int = 1024) {
    precondition(capacity >= 2 && capacity % 2 == 0, "capacity must be even and at least 2")
    self.capacity = capacity
    // The buckets grow as points come (to `capacity` at most), not reserved here: an ensemble
    // keeps a thousand histories of one point each (seeds past those drawn as traces).
    buckets = []
  }

  public var isEmpty: Bool { buckets.isEmpty }
  public var last: Double? { buckets.last?.last }
  public var lastIteration: Int? { buckets.last?.lastIteration }

  public mutating func append(iteration: Int, value: Double) {
    total += 1
    if let i = buckets.indices.last, buckets[i].count < span {
      buckets[i].lastIteration = iteration
      buckets[i].min = Swift.min(buckets[i].min, value)
      buckets[i].max = Swift.max(buckets[i].max, value)
      buckets[i].last = value
      buckets[i].count += 1
      return
    }
    if buckets.count == capacity { compact() }
    buckets.append(
      Bucket(
        firstIteration: iteration, lastIteration: iteration, min: value, max: value, last: value,
        count: 1))
  }

  /// Merges neighbouring buckets pairwise, in place (no allocation), and doubles the span.
  private mutating func compact() {
    let half = buckets.count / 2
    for i in 0..<half {
      let a = buckets[2 * i]
      let b = buckets[2 * i + 1]
      buckets[i] = Bucket(
        firstIteration: a.firstIteration, lastIteration: b.lastIteration,
        min: Swift.min(a.min, b.min), max: Swift.max(a.max, b.max), last: b.last,
        count: a.count + b.count)
    }
    buckets.removeLast(buckets.count - half)
    span *= 2
  }

  public mutating func removeAll() {
    buckets.removeAll(keepingCapacity: true)
    span = 1
    total = 0
  }

  /// (iteration, last value) per bucket: the curve to draw.
  public var points: [(x: Double, y: Double)] {
    buckets.map { (Double($0.lastIteration), $0.last) }
  }
}

import Testing

@testable import SPEngine

/// Bounded histories.
@Suite struct HistoryTests {
  @Test func tenMillionPointsStayWithinCapacity() {
    var h = History(capacity: 512)
    for i in 0..<10_000_000 { h.append(iteration: i + 1, value: Double(i % 1000)) }
    #expect(h.buckets.count <= 512)
    #expect(h.buckets.count >= 256)
    #expect(h.total == 10_000_000)
    #expect(h.buckets.first?.firstIteration == 1)
    #expect(h.buckets.last?.lastIteration == 10_000_000)
    #expect(h.buckets.map(\.count).reduce(0, +) == 10_000_000)
    #expect(h.buckets.allSatisfy { $0.min == 0 && $0.max == 999 })
    #expect(h.last == 999)
  }

  @Test func mergingKeepsMinMaxAndLast() {
    var h = History(capacity: 4)
    for (i, v) in [5.0, 1, 7, 3, 2, 9].enumerated() { h.append(iteration: i, value: v) }
    // After 4 points the buckets merge pairwise: [5,1] [7,3] then [2,9].
    #expect(h.span == 2)
    #expect(h.buckets.map(\.min) == [1, 3, 2])
    #expect(h.buckets.map(\.max) == [5, 7, 9])
    #expect(h.buckets.map(\.last) == [1, 3, 9])
    #expect(h.points.map(\.x) == [1, 3, 5])
  }
}

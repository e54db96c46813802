import Testing

@testable import SPTUI

@Suite struct LayoutTests {
  @Test func lengthsAndFillShareTheExtent() {
    let rows = Layout.vertical(
      Rect(x: 2, y: 1, width: 10, height: 20), [.length(3), .fill(1), .length(1)])
    #expect(
      rows == [
        Rect(x: 2, y: 1, width: 10, height: 3), Rect(x: 2, y: 4, width: 10, height: 16),
        Rect(x: 2, y: 20, width: 10, height: 1),
      ])
  }

  @Test func fillWeightsSplitTheRemainderExactly() {
    #expect(Layout.sizes(of: [.fill(1), .fill(2)], extent: 10) == [3, 7])
    #expect(Layout.sizes(of: [.fill(1), .fill(1), .fill(1)], extent: 10) == [3, 3, 4])
    #expect(Layout.sizes(of: [.fill(0), .fill(1)], extent: 10) == [0, 10])
  }

  @Test func percentageIsOfTheRoomAfterSpacing() {
    #expect(
      Layout.sizes(of: [.percentage(50), .percentage(25)], extent: 41, spacing: 1) == [20, 10])
    #expect(Layout.sizes(of: [.percentage(150)], extent: 10) == [10])
    #expect(Layout.sizes(of: [.percentage(-5)], extent: 10) == [0])
  }

  @Test func minTakesItsMinimumAndThenGrowsLikeFill() {
    #expect(Layout.sizes(of: [.min(4), .fill(1)], extent: 10) == [7, 3])
    #expect(Layout.sizes(of: [.min(8), .fill(1)], extent: 10) == [9, 1])
    #expect(Layout.sizes(of: [.min(12), .fill(1)], extent: 10) == [10, 0])
  }

  @Test func overflowShrinksTheLastPartsFirst() {
    #expect(Layout.sizes(of: [.length(3), .length(4), .length(5)], extent: 8) == [3, 4, 1])
    #expect(Layout.sizes(of: [.length(3), .length(4), .length(5)], extent: 2) == [2, 0, 0])
  }

  @Test func withoutFlexiblePartsTheRestStaysUnused() {
    let cols = Layout.horizontal(Rect(x: 0, y: 0, width: 10, height: 2), [.length(2), .length(3)])
    #expect(cols == [Rect(x: 0, y: 0, width: 2, height: 2), Rect(x: 2, y: 0, width: 3, height: 2)])
  }

  @Test func spacingSeparatesColumns() {
    let cols = Layout.horizontal(
      Rect(x: 1, y: 5, width: 11, height: 1), [.length(3), .fill(1), .fill(1)], spacing: 1)
    #expect(
      cols == [
        Rect(x: 1, y: 5, width: 3, height: 1), Rect(x: 5, y: 5, width: 3, height: 1),
        Rect(x: 9, y: 5, width: 3, height: 1),
      ])
  }

  @Test func resultsStayInsideTheParentEvenWhenTooSmall() {
    let parent = Rect(x: 3, y: 4, width: 5, height: 2)
    for spacing in [0, 1, 4, 9] {
      for constraints: [Constraint] in [
        [.length(9), .fill(1), .min(3)], [.percentage(80), .percentage(80)],
        [.fill(1), .fill(1), .fill(1), .fill(1), .fill(1), .fill(1)],
      ] {
        for direction in [Layout.Direction.horizontal, .vertical] {
          let parts = Layout(direction, constraints, spacing: spacing).split(parent)
          #expect(parts.count == constraints.count)
          for part in parts {
            #expect(part.width >= 0 && part.height >= 0)
            #expect(part.left >= parent.left && part.right <= parent.right, "\(part)")
            #expect(part.top >= parent.top && part.bottom <= parent.bottom, "\(part)")
          }
        }
      }
    }
  }

  @Test func emptyParentsAndNoConstraints() {
    #expect(Layout.vertical(.zero, []) == [])
    #expect(Layout.vertical(.zero, [.fill(1), .length(2)]).map(\.height) == [0, 0])
    #expect(Layout.sizes(of: [.length(-3)], extent: 5) == [0])
  }

  @Test func centeredRectsShrinkToFit() {
    let r = Rect(x: 10, y: 5, width: 20, height: 10)
    #expect(r.centered(width: 6, height: 4) == Rect(x: 17, y: 8, width: 6, height: 4))
    #expect(r.centered(width: 7, height: 3) == Rect(x: 16, y: 8, width: 7, height: 3))
    #expect(r.centered(width: 50, height: 50) == r)
    #expect(r.centered(width: -1, height: 2) == Rect(x: 20, y: 9, width: 0, height: 2))
  }
}

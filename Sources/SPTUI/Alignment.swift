/// Where text sits in a row wider than it: left, centred or right.
public enum Alignment: Hashable, Sendable {
  case left, center, right

  /// The column offset that aligns `length` cells in `width` cells (0 when it does not fit).
  public func offset(length: Int, width: Int) -> Int {
    let free = max(0, width - length)
    switch self {
    case .left: return 0
    case .center: return free / 2
    case .right: return free
    }
  }
}

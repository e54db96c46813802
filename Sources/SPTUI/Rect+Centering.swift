extension Rect {
  /// A `width`×`height` rectangle centred in this one, shrunk to fit inside it.
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = Swift.min(Swift.max(0, w), width)
    let ch = Swift.min(Swift.max(0, h), height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }
}

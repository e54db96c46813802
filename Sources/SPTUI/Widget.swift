/// Something that draws itself into a rectangle of a buffer; built fresh as a value every frame.
///
/// A widget never reads a clock, a global or the terminal. It must be safe in any area: empty,
/// 1×1, or partly (or wholly) outside the buffer. It draws only inside `area`.
public protocol Widget {
  func render(in area: Rect, into buffer: inout Buffer)
}

extension Buffer {
  /// Renders `widget` into `area` of this buffer (the whole buffer when `area` is nil).
  public mutating func render(_ widget: some Widget, in area: Rect? = nil) {
    widget.render(in: area ?? self.area, into: &self)
  }
}

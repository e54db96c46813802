/// A bordered box centred over whatever was drawn before it: clears its rectangle, draws a
/// `Block` with the title and renders `content` inside, one blank column in from each side.
///
/// The box is `width`×`height` cells (border included), shrunk to fit the area it is centred in.
public struct Popup<Content: Widget>: Widget {
  public var title: String?
  public var width: Int
  public var height: Int
  public var content: Content
  public var glyphs: Glyphs
  /// Fill of the cleared box.
  public var style: Style
  public var borderStyle: Style
  public var titleStyle: Style
  /// Blank columns between the border and the content on the left and right.
  public var padding: Int

  public init(
    title: String? = nil, width: Int, height: Int, content: Content, glyphs: Glyphs = .unicode,
    style: Style = .plain, borderStyle: Style = .plain,
    titleStyle: Style = Style(attributes: .bold), padding: Int = 1
  ) {
    self.title = title
    self.width = width
    self.height = height
    self.content = content
    self.glyphs = glyphs
    self.style = style
    self.borderStyle = borderStyle
    self.titleStyle = titleStyle
    self.padding = max(0, padding)
  }

  /// Where the box goes in `area`.
  public func rect(in area: Rect) -> Rect { area.centered(width: width, height: height) }

  /// Where the content goes in `area`.
  public func contentRect(in area: Rect) -> Rect {
    let inner = block.inner(of: rect(in: area))
    let pad = min(padding, inner.width / 2)
    return Rect(x: inner.x + pad, y: inner.y, width: inner.width - 2 * pad, height: inner.height)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    let box = rect(in: area)
    guard !box.isEmpty else { return }
    buffer.fill(box, with: Cell(" ", style: style))
    block.render(in: box, into: &buffer)
    content.render(in: contentRect(in: area), into: &buffer)
  }

  private var block: Block {
    Block(
      title: title, glyphs: glyphs, borderStyle: borderStyle.merging(style),
      titleStyle: titleStyle.merging(style))
  }
}

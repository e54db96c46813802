extension Style {
  /// This style with `other` laid over it: `other`'s colours where they are not `.default`, and
  /// the attributes of both.
  public func merging(_ other: Style) -> Style {
    Style(
      foreground: other.foreground == .default ? foreground : other.foreground,
      background: other.background == .default ? background : other.background,
      attributes: attributes.union(other.attributes))
  }
}

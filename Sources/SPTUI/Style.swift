/// A terminal colour as a theme states it; the backend reduces it to what the terminal can show.
public enum Color: Hashable, Sendable {
  /// The terminal's own foreground or background.
  case `default`
  /// An entry of the 256-colour palette (0–15 are the 16 standard colours).
  case indexed(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)

  public static let black = Color.indexed(0)
  public static let red = Color.indexed(1)
  public static let green = Color.indexed(2)
  public static let yellow = Color.indexed(3)
  public static let blue = Color.indexed(4)
  public static let magenta = Color.indexed(5)
  public static let cyan = Color.indexed(6)
  public static let white = Color.indexed(7)
  public static let brightBlack = Color.indexed(8)
  public static let brightRed = Color.indexed(9)
  public static let brightGreen = Color.indexed(10)
  public static let brightYellow = Color.indexed(11)
  public static let brightBlue = Color.indexed(12)
  public static let brightMagenta = Color.indexed(13)
  public static let brightCyan = Color.indexed(14)
  public static let brightWhite = Color.indexed(15)
}

/// Text attributes that can be combined.
public struct Attributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let bold = Attributes(rawValue: 1 << 0)
  public static let dim = Attributes(rawValue: 1 << 1)
  public static let underline = Attributes(rawValue: 1 << 2)
  public static let reverse = Attributes(rawValue: 1 << 3)
}

/// The look of one cell: colours and attributes.
public struct Style: Hashable, Sendable {
  public var foreground: Color
  public var background: Color
  public var attributes: Attributes

  public init(
    foreground: Color = .default, background: Color = .default, attributes: Attributes = []
  ) {
    self.foreground = foreground
    self.background = background
    self.attributes = attributes
  }

  public static let plain = Style()

  public func with(foreground: Color) -> Style {
    var s = self
    s.foreground = foreground
    return s
  }

  public func with(background: Color) -> Style {
    var s = self
    s.background = background
    return s
  }

  public func adding(_ attributes: Attributes) -> Style {
    var s = self
    s.attributes.formUnion(attributes)
    return s
  }
}

/// One terminal cell: a single-column Unicode scalar and its style.
public struct Cell: Hashable, Sendable {
  public var symbol: Unicode.Scalar
  public var style: Style

  public init(_ symbol: Unicode.Scalar = " ", style: Style = .plain) {
    self.symbol = symbol
    self.style = style
  }

  public static let blank = Cell()
}

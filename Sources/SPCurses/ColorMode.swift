/// Whether the terminal backend uses colours.
public enum ColorMode: String, Hashable, Sendable, CaseIterable {
  /// Colours when the terminal has them and NO_COLOR is unset or empty.
  case auto
  /// Colours whenever the terminal has them, NO_COLOR notwithstanding (an explicit request).
  case always
  /// No colours at all; bold, dim, underline and reverse are still shown.
  case never
}

/// A key press as the dashboard sees it, decoded by the backend from the terminal's input.
public enum Key: Hashable, Sendable {
  /// A printable character, space included ("a", "A", "+", " ").
  case character(Character)
  /// A control chord such as Ctrl-C, named by its lower-case letter ("c").
  case control(Character)
  case up, down, left, right
  /// ← and → with Shift held (the inspection cursor's bigger moves).
  case shiftLeft, shiftRight
  case tab, backTab, enter, escape, backspace
  case home, end, pageUp, pageDown, insert, delete
  /// F1…F12.
  case function(Int)
  /// The terminal changed size; the backend reports it so the frame is laid out again at once.
  case resize
}

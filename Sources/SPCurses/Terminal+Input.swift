import CNcurses
import CTerminalSupport
import SPTUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Terminal {
  /// The next key, waiting at most `timeoutMilliseconds` (negative: forever); nil on timeout,
  /// on a signal, and for keys the dashboard has no name for. A `.resize` makes the next draw
  /// full. After a Ctrl-Z (acted on here: the process stops until `fg`) it returns `.resize`
  /// at once, since the terminal may have changed while stopped.
  public func readKey(timeoutMilliseconds: Int) -> Key? {
    guard !isClosed else { return nil }
    if suspendIfRequested() { return .resize }
    if currentTimeout != timeoutMilliseconds {
      wtimeout(window, Int32(clamping: max(-1, timeoutMilliseconds)))
      currentTimeout = timeoutMilliseconds
    }
    var code: wint_t = 0
    let status = wget_wch(window, &code)
    noteContinue()
    switch status {
    case OK: return Self.key(forCharacter: UInt32(code))
    case KEY_CODE_YES:
      let key = Self.key(forKeyCode: Int32(bitPattern: UInt32(code)))
      if key == .resize { needsFullRedraw = true }
      return key
    default: return nil
    }
  }

  /// The key for a character read from the terminal (Ctrl-C is 3, Tab 9, Enter 13 or 10, …).
  static func key(forCharacter code: UInt32) -> Key? {
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 0: return .control("@")
    case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 0x60)))
    case 28...31: return .control(Character(Unicode.Scalar(UInt8(code) + 0x40)))
    case 0x80..<0xa0: return nil
    default: return Unicode.Scalar(code).map { .character(Character($0)) }
    }
  }

  /// The key for an ncurses key code (KEY_UP, KEY_F(n), …).
  static func key(forKeyCode code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_SLEFT: return .shiftLeft
    case KEY_SRIGHT: return .shiftRight
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_IC: return .insert
    case KEY_DC: return .delete
    case KEY_BTAB: return .backTab
    case KEY_ENTER: return .enter
    case KEY_BACKSPACE: return .backspace
    case KEY_RESIZE: return .resize
    case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
    default: return nil
    }
  }
}

/// Why the terminal could not be opened, as a one-line message for people.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Standard input or output ("stdin", "stdout") is not a terminal.
  case notATerminal(stream: String)
  /// TERM is unset or empty.
  case termNotSet
  /// No terminfo entry for this TERM.
  case unknownTerminal(String)
  /// The terminal type cannot move the cursor (e.g. TERM=dumb).
  case notCursorAddressable(String)
  /// Another `Terminal` is still open in this process.
  case alreadyOpen
  /// A system call failed while setting the terminal up.
  case setupFailed(String)

  public var description: String {
    switch self {
    case .notATerminal(let stream):
      return "sptop: \(stream) is not a terminal; use `sptop run` for headless training"
    case .termNotSet:
      return "sptop: TERM is not set; set it to your terminal's type, e.g. TERM=xterm-256color"
    case .unknownTerminal(let name):
      return "sptop: unknown terminal type '\(name)' (no terminfo entry); try TERM=xterm-256color"
    case .notCursorAddressable(let name):
      return "sptop: terminal type '\(name)' cannot position the cursor; use `sptop run` instead"
    case .alreadyOpen:
      return "sptop: the terminal is already open"
    case .setupFailed(let what):
      return "sptop: could not set up the terminal: \(what)"
    }
  }
}

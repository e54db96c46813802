import CNcurses
import CTerminalSupport
import SPTUI
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The dashboard's terminal: an ncurses screen that draws `Buffer`s and reads `Key`s.
///
/// Not `Sendable`, on purpose: the compiler keeps an instance in one isolation region, so its
/// ncurses calls (not thread-safe) are serialised. Open, use and close it on the main thread.
/// Only one terminal can be open at a time in a process.
///
/// While open: SIGTERM, SIGHUP, SIGINT and SIGQUIT are only recorded (`pendingSignal`); a
/// second one two or more seconds after the first, with the app not having quit, restores the
/// terminal and kills the process by that signal. Crash signals restore the terminal and go on
/// to the previous handler (the default, or the Swift runtime's backtracer). Ctrl-Z (SIGTSTP)
/// is only recorded too; `readKey` then gives the screen back and stops the process, training
/// thread and all, and after `fg` returns `.resize` so the next draw is full. (ncurses' own
/// SIGTSTP handler is kept out: it drops a Ctrl-Z that arrives during any screen update, and
/// redraws from inside a signal handler.) stderr, when it is a terminal, goes to a
/// temporary file and is written back (its last 64 KiB) on close or crash, so stray messages
/// cannot scribble on the screen and a fatal error's message is still seen.
public final class Terminal: TerminalBackend {
  /// True when the locale's character set is UTF-8, so box-drawing and braille glyphs show.
  public let unicode: Bool
  /// Bytes ncurses has written to the terminal in `draw` calls so far.
  public internal(set) var bytesWritten = 0
  /// False where the kernel keeps no per-thread write counter (non-Linux): `bytesWritten` is 0.
  public let measuresBytes: Bool
  /// The colour reduction in use; nil when colours are off.
  public let colorReducer: ColorReducer?

  let screen: OpaquePointer
  let window: UnsafeMutablePointer<WINDOW>
  let output: UnsafeMutablePointer<FILE>
  let input: UnsafeMutablePointer<FILE>
  let ioCounter: Int32
  let defaultForeground: Int32
  let defaultBackground: Int32
  let pairLimit: Int32
  var pairsByColors: [ColorPair: Int32] = [:]
  var pairsByNumbers: [Int64: Int32] = [:]
  var nextPair: Int32 = 1
  var previous: Buffer?
  var needsFullRedraw = true
  var run: [wchar_t] = []
  var currentTimeout = Int.min
  var seenContinues: Int
  var isClosed = false

  private static let openFlag = Atomic<Bool>(false)

  /// The first of SIGTERM, SIGHUP, SIGINT, SIGQUIT received while a terminal was open, if any.
  /// Poll it every frame; then close the terminal and exit with status 128 + signal.
  public static var pendingSignal: Int32? {
    let signal = spt_pending_signal()
    return signal == 0 ? nil : signal
  }

  /// `Terminal.pendingSignal`, for the `TerminalBackend` protocol.
  public var pendingSignal: Int32? { Self.pendingSignal }

  /// Checks that stdin and stdout are terminals and TERM is known, then takes over the screen:
  /// alternate screen, no echo, cbreak with Ctrl-C as a key, hidden cursor, colours as asked.
  public static func open(colorMode: ColorMode = .auto) throws -> Terminal {
    setlocale(LC_ALL, "")
    guard isatty(STDIN_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "stdin") }
    guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "stdout") }
    guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
      throw TerminalError.termNotSet
    }
    let claimed = openFlag.compareExchange(
      expected: false, desired: true, ordering: .acquiringAndReleasing)
    guard claimed.exchanged else { throw TerminalError.alreadyOpen }
    do {
      return try Terminal(term: term, colorMode: colorMode)
    } catch {
      openFlag.store(false, ordering: .releasing)
      throw error
    }
  }

  private init(term: String, colorMode: ColorMode) throws {
    // Private descriptors for ncurses, so closing its FILEs never closes fd 0 or 1.
    let outFD = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
    let inFD = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
    guard outFD >= 0, inFD >= 0, let output = fdopen(outFD, "w"), let input = fdopen(inFD, "r")
    else {
      if outFD >= 0 { closeDescriptor(outFD) }
      if inFD >= 0 { closeDescriptor(inFD) }
      throw TerminalError.setupFailed("cannot duplicate stdin/stdout")
    }
    // Our handlers go in before newterm, which then leaves SIGINT and SIGTERM alone.
    spt_save_tty(outFD)
    spt_install_quit_handlers()
    let type = Self.terminalType(term, colorMode: colorMode, environment: Self.colorEnvironment)
    guard let screen = newterm(type, output, input) ?? newterm(term, output, input) else {
      spt_restore_handlers()
      fclose(output)
      fclose(input)
      throw TerminalError.unknownTerminal(term)
    }
    guard spt_tigetstr("cup") != nil, let window = spt_stdscr() else {
      endwin()
      delscreen(screen)
      spt_restore_handlers()
      fclose(output)
      fclose(input)
      throw TerminalError.notCursorAddressable(term)
    }
    (self.screen, self.window, self.output, self.input) = (screen, window, output, input)

    cbreak()
    noecho()
    nonl()
    keypad(window, true)
    leaveok(window, true)
    curs_set(0)
    set_escdelay(25)
    // Home and End as tmux, screen and the Linux console send them (ESC [ 1 ~, ESC [ 4 ~), as
    // rxvt does (ESC [ 7 ~, ESC [ 8 ~) or in either cursor mode, when TERM's entry names others
    // (TERM=xterm-256color inside tmux): unknown, a sequence reads as Esc, which quits.
    for (sequence, code) in [
      ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME),
      ("\u{1B}OH", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
      ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
    ] where key_defined(sequence) == 0 {
      define_key(sequence, code)
    }
    spt_keys_as_input(outFD)
    def_prog_mode()  // ncurses re-applies this mode after Ctrl-Z / fg

    let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
    let wantsColor = colorMode == .always || (colorMode == .auto && !noColor)
    var reducer: ColorReducer?
    var defaults = true
    if wantsColor, has_colors() {
      start_color()
      defaults = use_default_colors() == OK
      reducer = ColorReducer(colorCount: Int(spt_colors()))
    }
    colorReducer = reducer
    (defaultForeground, defaultBackground) = defaults ? (-1, -1) : (7, 0)
    pairLimit = reducer == nil ? 1 : max(1, spt_color_pairs())

    let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
    unicode = codeset == "UTF-8" || codeset == "UTF8"

    ioCounter = spt_open_thread_io()
    measuresBytes = spt_thread_bytes_written(ioCounter) >= 0
    seenContinues = spt_continue_count()

    spt_capture_stderr()
    let restore = Self.restoreSequence()
    _ = restore.withUnsafeBufferPointer { spt_install_crash_handlers($0.baseAddress, $0.count) }
  }

  deinit { close() }

  /// The bytes that undo the screen setup, from terminfo: attributes off, keypad transmit off,
  /// leave the alternate screen, cursor visible. Padding (`$<…>`) is dropped.
  private static func restoreSequence() -> [CChar] {
    var bytes: [CChar] = []
    for name in ["sgr0", "rmkx", "rmcup", "cnorm"] {
      guard let value = spt_tigetstr(name) else { continue }
      var padding = false
      var p = value
      while p.pointee != 0 {
        let c = UInt8(bitPattern: p.pointee)
        if c == UInt8(ascii: "$") && p.successor().pointee == CChar(UInt8(ascii: "<")) {
          padding = true
        } else if padding && c == UInt8(ascii: ">") {
          padding = false
        } else if !padding {
          bytes.append(p.pointee)
        }
        p = p.successor()
      }
    }
    return bytes
  }

  /// The screen's size in cells.
  public var size: (width: Int, height: Int) {
    guard !isClosed else { return (0, 0) }
    var height: Int32 = 0
    var width: Int32 = 0
    spt_getmaxyx(window, &height, &width)
    return (Int(width), Int(height))
  }

  /// Gives the screen back: main screen, cursor, echo and line mode as they were. Idempotent.
  public func close() {
    guard !isClosed else { return }
    isClosed = true
    keypad(window, false)
    endwin()
    delscreen(screen)
    fclose(output)
    fclose(input)
    spt_release_stderr()
    spt_restore_handlers()
    if ioCounter >= 0 { closeDescriptor(ioCounter) }
    Self.openFlag.store(false, ordering: .releasing)
  }

  /// Acts on a Ctrl-Z (SIGTSTP) if one arrived: shell mode, main screen and cursor back, the
  /// process stopped until `fg`, then program mode again. True when it suspended.
  func suspendIfRequested() -> Bool {
    guard !isClosed, spt_take_suspend_request() != 0 else { return false }
    endwin()
    spt_stop_self()
    // Resumed. As ncurses does: tty changes made while stopped become the shell mode restored
    // at the end; the next doupdate re-enters program mode and the alternate screen.
    def_shell_mode()
    needsFullRedraw = true
    return true
  }

  /// Notes a SIGCONT (resumed after Ctrl-Z): the screen may have been scribbled on.
  func noteContinue() {
    let count = spt_continue_count()
    if count != seenContinues {
      seenContinues = count
      needsFullRedraw = true
    }
  }
}

/// Foreground and background of a style, the key of the colour-pair cache.
struct ColorPair: Hashable {
  var foreground: Color
  var background: Color
}

private func closeDescriptor(_ fd: Int32) {
  #if canImport(Glibc)
    _ = Glibc.close(fd)
  #else
    _ = Darwin.close(fd)
  #endif
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A terminal in memory for tests: a fixed size (changed by a scripted resize), every frame
/// kept, and input from a script of keys, waits for what the screen shows, and signals.
///
/// The script is read one step per `readKey`: a key is returned only once a frame has been
/// drawn since the previous key, so each key's effect can show before the next; `until` holds
/// the input back until the last frame satisfies it (or its timeout passes, which is recorded
/// in `timedOut`). When the script is done, `readKey` waits out its timeout and returns nil.
public final class TestBackend: TerminalBackend {
  /// One step of the script.
  public enum Step {
    case key(Key)
    /// Types each character of the string as a key.
    case type(String)
    /// Changes the size and reports `.resize`.
    case resize(width: Int, height: Int)
    /// Waits until the last frame's text satisfies the condition (at most `timeout` seconds).
    case until(String, timeout: Double = 10, (String) -> Bool)
    /// Reports a terminating signal from the next `pendingSignal` on.
    case signal(Int32)
  }

  public private(set) var size: (width: Int, height: Int)
  public let unicode: Bool
  /// Every frame drawn, oldest first (only the last `keep` are kept).
  public private(set) var frames: [Buffer] = []
  /// How many frames were drawn in all.
  public private(set) var frameCount = 0
  /// Descriptions of the `until` steps that timed out.
  public private(set) var timedOut: [String] = []
  /// How many times the screen was invalidated (a full redraw was asked for).
  public private(set) var invalidations = 0
  public private(set) var pendingSignal: Int32?
  private var script: [Step]
  private var drawnSinceKey = true
  private var untilStart: Double?
  private let keep: Int

  public init(width: Int, height: Int, unicode: Bool = true, script: [Step], keep: Int = 64) {
    size = (width, height)
    self.unicode = unicode
    self.keep = max(1, keep)
    self.script = script.flatMap { step -> [Step] in
      if case .type(let s) = step { return s.map { .key(.character($0)) } }
      return [step]
    }
  }

  /// The last frame's text, one line per row.
  public var screen: String { frames.last?.lines.joined(separator: "\n") ?? "" }

  public func draw(_ buffer: Buffer) {
    frames.append(buffer)
    if frames.count > keep { frames.removeFirst(frames.count - keep) }
    frameCount += 1
    drawnSinceKey = true
  }

  public func invalidate() { invalidations += 1 }

  public func readKey(timeoutMilliseconds: Int) -> Key? {
    while let step = script.first {
      switch step {
      case .until(let what, let timeout, let condition):
        if condition(screen) {
          script.removeFirst()
          untilStart = nil
          continue
        }
        let now = Self.seconds()
        let start = untilStart ?? now
        untilStart = start
        if now - start > timeout {
          timedOut.append(what)
          script.removeFirst()
          untilStart = nil
          continue
        }
        pause(milliseconds: min(1, timeoutMilliseconds))
        return nil
      case .signal(let s):
        script.removeFirst()
        pendingSignal = s
        return nil
      case .resize(let w, let h):
        guard drawnSinceKey else { return nil }
        script.removeFirst()
        size = (w, h)
        drawnSinceKey = false
        return .resize
      case .key(let k):
        guard drawnSinceKey else {
          pause(milliseconds: min(1, timeoutMilliseconds))
          return nil
        }
        script.removeFirst()
        drawnSinceKey = false
        return k
      case .type:
        script.removeFirst()  // expanded in init
      }
    }
    pause(milliseconds: timeoutMilliseconds)
    return nil
  }

  /// Whether every step of the script has been taken.
  public var scriptDone: Bool { script.isEmpty }

  private func pause(milliseconds: Int) {
    guard milliseconds > 0 else { return }
    usleep(UInt32(min(milliseconds, 50)) * 1000)
  }

  private static func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}

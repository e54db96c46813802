import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// close(2), under a name the recorder's own `close()` does not shadow.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

/// Writes a session log from the training queue. Records are buffered as whole lines and written
/// with write(2) at least every half second, on pause and at the end, so a killed process loses
/// at most the last second and never leaves a broken line anywhere but at the end. A write error
/// (a full disk) stops the recording with a message; training goes on.
final class SessionRecorder {
  let path: String
  let logEvery: Int
  let evalEvery: Int
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var lastFlush: Double
  /// Records written (accepted into the buffer) so far.
  private(set) var records = 0
  /// Why the recording stopped early, if it did.
  private(set) var failure: String?

  init(file: LogFile, logEvery: Int, evalEvery: Int) {
    path = file.path
    fd = file.descriptor
    self.logEvery = max(1, logEvery)
    self.evalEvery = max(1, evalEvery)
    lastFlush = monotonicSeconds()
    buffer.reserveCapacity(1 << 16)
  }

  var isOpen: Bool { fd >= 0 }

  /// Adds one record (a JSON object without its newline).
  func append(_ line: String) {
    guard isOpen else { return }
    buffer.append(contentsOf: line.utf8)
    buffer.append(0x0A)
    records += 1
    if buffer.count >= 1 << 18 { flush() }
  }

  /// Writes the buffer when it is due (half a second since the last write).
  /// Appends `record` as one line of JSON, keys sorted (dropped if it cannot be encoded).
  func append(record: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(record) else { return }
    append(String(decoding: data, as: UTF8.self))
  }

  /// Writes when due; after a write error, closes the file and returns the error's message.
  func service(now: Double) -> String? {
    flushIfDue(now: now)
    guard let failure else { return nil }
    close()
    return failure
  }

  func flushIfDue(now: Double) {
    if now - lastFlush >= 0.5 { flush() }
  }

  /// Writes every buffered record now.
  func flush() {
    lastFlush = monotonicSeconds()
    guard isOpen, !buffer.isEmpty else { return }
    let ok = buffer.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = "recording to \(path) stopped: \(String(cString: strerror(errno)))"
          return false
        }
        offset += n
      }
      return true
    }
    buffer.removeAll(keepingCapacity: true)
    if !ok { closeFile() }
  }

  /// Flushes, syncs and closes the file.
  func close() {
    flush()
    if isOpen { _ = fsync(fd) }
    closeFile()
  }

  private func closeFile() {
    if fd >= 0 { closeDescriptor(fd) }
    fd = -1
  }
}

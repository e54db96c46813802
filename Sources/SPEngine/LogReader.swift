import Foundation

/// A session log read back and checked: its records by kind, each with its line number.
public struct SessionLogContents: Sendable {
  public var path: String
  public var header: SessionLog.Header
  public var metrics: [(line: Int, record: SessionLog.Metric)] = []
  public var evals: [(line: Int, record: SessionLog.Eval)] = []
  public var events: [(line: Int, record: SessionLog.Event)] = []
  public var end: (line: Int, record: SessionLog.End)?
  /// Things tolerated but worth saying (a truncated last line).
  public var warnings: [String] = []
  /// Lines read, the header included.
  public var lineCount = 0

  /// The last session step any record mentions.
  public var lastStep: Int {
    max(
      end?.record.step ?? 0, metrics.last?.record.step ?? 0, evals.last?.record.step ?? 0,
      events.last?.record.step ?? 0, header.start_step)
  }

  /// The last elapsed time any record mentions.
  public var duration: Double {
    max(
      end?.record.elapsed ?? 0, metrics.map(\.record.elapsed).max() ?? 0,
      evals.last?.record.elapsed ?? 0, events.last?.record.elapsed ?? 0)
  }
}

/// Why a log cannot be used: `path:line: what is wrong`.
public struct LogError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ path: String, line: Int?, _ message: String) {
    description = OneLine.escaped(
      line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)")
  }
}

/// Reads and validates session logs.
public enum LogReader {
  /// Lines longer than this are refused rather than decoded (no log line sptop writes is near).
  public static let maximumLineBytes = 64 << 20

  private struct Kind: Decodable { var type: String }

  public static func read(path: String) throws -> SessionLogContents {
    try checkLineLengths(path: path)
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw LogError(path, line: nil, exists ? "cannot be read" : "no such file")
    }
    return try parse(data, path: path)
  }

  public static func parse(_ data: Data, path: String) throws -> SessionLogContents {
    let decoder = JSONDecoder()
    // Line boundaries as offsets into `data`, found without copying it.
    var lines: [(start: Int, end: Int)] = []
    let count = data.count
    var start = 0
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      guard let base = raw.baseAddress else { return }
      while start < count, let found = memchr(base + start, 0x0A, count - start) {
        let end = base.distance(to: UnsafeRawPointer(found))
        lines.append((start, end))
        start = end + 1
      }
    }
    let endsWithNewline = start == count
    if !endsWithNewline { lines.append((start, count)) }
    var contents: SessionLogContents?
    var lastStepOfModel: [Int: Int] = [:]
    var lastEvalStepOfModel: [Int: Int] = [:]
    var lastEventStep = 0
    for (index, range) in lines.enumerated() {
      let number = index + 1
      let isLast = index == lines.count - 1
      if range.end - range.start > maximumLineBytes {
        throw lineTooLong(path, line: number, bytes: range.end - range.start)
      }
      let line = data.subdata(in: (data.startIndex + range.start)..<(data.startIndex + range.end))
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
        if isLast { continue }
        throw LogError(path, line: number, "empty line")
      }
      let kind: String
      do {
        kind = try decoder.decode(Kind.self, from: line).type
      } catch {
        if isLast && !endsWithNewline && contents != nil {
          contents!.warnings.append(
            "\(path):\(number): the last line is cut off (the run was killed?); ignored")
          break
        }
        let json = (try? JSONSerialization.jsonObject(with: line)) != nil
        throw LogError(
          path, line: number,
          json ? "a record needs a string field 'type'" : "not JSON: \(describe(error))")
      }
      func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
          return try decoder.decode(T.self, from: line)
        } catch {
          throw LogError(path, line: number, "\(kind) record: \(describe(error))")
        }
      }
      guard contents != nil else {
        guard kind == "header" else {
          throw LogError(path, line: number, "the first record must be the header, not '\(kind)'")
        }
        let header = try decode(SessionLog.Header.self)
        guard header.format == SessionLog.format else {
          throw LogError(
            path, line: number, "format '\(header.format)' is not \(SessionLog.format)")
        }
        guard header.version == SessionLog.version else {
          throw LogError(
            path, line: number,
            "unknown format version \(header.version); this sptop reads version \(SessionLog.version)"
          )
        }
        guard header.lineup.count == header.settings.models.count, header.log_every > 0,
          header.eval_every > 0, header.start_step >= 0
        else {
          throw LogError(path, line: number, "header: lineup, log_every or eval_every is invalid")
        }
        do {
          try header.settings.validate()
        } catch {
          throw LogError(path, line: number, "header settings: \(error)")
        }
        // verify and replay re-run the session up to the last step a record names: no record
        // of a session of N iterations can name a step past N (a log claiming step 10^16
        // would otherwise make them train for ever).
        let limit = header.settings.iterations
        if limit > 0,
          let step = ([header.start_step] + header.prior_events.map(\.step)).first(where: {
            $0 > limit
          })
        {
          throw LogError(
            path, line: number, "header: step \(step) is past the session's \(limit) iterations")
        }
        contents = SessionLogContents(path: path, header: header)
        continue
      }
      if contents!.end != nil {
        throw LogError(path, line: number, "a '\(kind)' record after the end record")
      }
      let lineup = contents!.header.lineup
      let models = lineup.count
      func checkStep(_ step: Int) throws {
        let limit = contents!.header.settings.iterations
        guard step >= 0, limit == 0 || step <= limit else {
          throw LogError(
            path, line: number,
            "\(kind) record: step \(step) is outside the session's "
              + (limit == 0 ? "steps (≥ 0)" : "\(limit) iterations"))
        }
      }
      func checkModel(_ index: Int, _ name: String) throws {
        guard (0..<models).contains(index), lineup[index].name == name else {
          throw LogError(path, line: number, "\(kind) record: no model \(index) named '\(name)'")
        }
      }
      switch kind {
      case "metric":
        let m = try decode(SessionLog.Metric.self)
        try checkModel(m.index, m.model)
        try checkStep(m.step)
        if let last = lastStepOfModel[m.index], m.step <= last {
          throw LogError(
            path, line: number,
            "iterations go backwards: model \(m.model) at step \(m.step) after step \(last)")
        }
        lastStepOfModel[m.index] = m.step
        contents!.metrics.append((number, m))
      case "eval":
        let e = try decode(SessionLog.Eval.self)
        try checkModel(e.index, e.model)
        try checkStep(e.step)
        if let last = lastEvalStepOfModel[e.index], e.step < last {
          throw LogError(
            path, line: number,
            "iterations go backwards: model \(e.model) evaluated at step \(e.step) after \(last)")
        }
        lastEvalStepOfModel[e.index] = e.step
        contents!.evals.append((number, e))
      case "event":
        let e = try decode(SessionLog.Event.self)
        try checkStep(e.step)
        if e.step < lastEventStep {
          throw LogError(
            path, line: number,
            "iterations go backwards: event at step \(e.step) after \(lastEventStep)")
        }
        if let m = e.model, !(0..<models).contains(m) {
          throw LogError(path, line: number, "event record: no model \(m)")
        }
        lastEventStep = e.step
        contents!.events.append((number, e))
      case "end":
        let e = try decode(SessionLog.End.self)
        try checkStep(e.step)
        guard e.models.count == models else {
          throw LogError(path, line: number, "end record: \(e.models.count) models, not \(models)")
        }
        contents!.end = (number, e)
      case "header":
        throw LogError(path, line: number, "a second header")
      default:
        throw LogError(path, line: number, "unknown record type '\(kind)'")
      }
    }
    guard var result = contents else { throw LogError(path, line: nil, "empty log: no header") }
    result.lineCount = lines.count
    return result
  }

  static func lineTooLong(_ path: String, line: Int, bytes: Int) -> LogError {
    LogError(
      path, line: line,
      "line too long: \(bytes) bytes, over the limit of \(maximumLineBytes >> 20) MiB a line")
  }

  /// Streams the file in 1 MiB chunks and refuses it at its first line longer than
  /// `maximumLineBytes`, so a hostile file (a 100 MB line, an endless device) is refused in
  /// bounded memory before it is read whole. Regular files no larger than the limit are not
  /// scanned; unreadable files are left to `read`.
  static func checkLineLengths(path: String) throws {
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
      info.st_size <= maximumLineBytes
    {
      return
    }
    guard let handle = FileHandle(forReadingAtPath: path) else { return }
    defer { try? handle.close() }
    var line = 1
    var length = 0
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        var offset = 0
        while offset < raw.count, length <= maximumLineBytes {
          let rest = raw.count - offset
          guard let found = memchr(raw.baseAddress! + offset, 0x0A, rest) else {
            length += rest
            break
          }
          length += raw.baseAddress!.distance(to: UnsafeRawPointer(found)) - offset
          if length > maximumLineBytes { break }
          offset = raw.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
          line += 1
          length = 0
        }
      }
      if length > maximumLineBytes {
        throw LogError(
          path, line: line, "line too long: over the limit of \(maximumLineBytes >> 20) MiB a line")
      }
    }
  }

  /// A decoding error in one phrase: which field and what was wrong.
  static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
    }
    switch error {
    case DecodingError.typeMismatch(let type, let ctx):
      return "field '\(path(ctx.codingPath))' should be \(typeName(type))"
    case DecodingError.valueNotFound(let type, let ctx):
      return "field '\(path(ctx.codingPath))' is null; it should be \(typeName(type))"
    case DecodingError.keyNotFound(let key, let ctx):
      return "missing field '\(path(ctx.codingPath + [key]))'"
    case DecodingError.dataCorrupted(let ctx):
      let p = path(ctx.codingPath)
      return p.isEmpty ? "invalid JSON" : "field '\(p)' is invalid"
    default:
      return "\(error)"
    }
  }

  static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is Double.Type, is Double?.Type: "a number"
    case is Int.Type, is Int32.Type, is UInt64.Type: "an integer"
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    default: "\(type)".contains("Array") ? "an array" : "an object"
    }
  }
}

import Crypto
import Foundation
import SPNumerics

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A session log read back and checked: its records by kind, each with its line number.
public struct SessionLogContents: Sendable {
  public var path: String
  public var header: SessionLog.Header
  public var metrics: [(line: Int, record: SessionLog.Metric)] = []
  public var evals: [(line: Int, record: SessionLog.Eval)] = []
  public var events: [(line: Int, record: SessionLog.Event)] = []
  public var end: (line: Int, record: SessionLog.End)?
  /// The lineup when recording started (the header's), then after each lineup event, with the
  /// line from which it holds (1 for the header's).
  public var lineups: [(line: Int, lineup: Lineup)] = []
  /// Things tolerated but worth saying (a truncated last line).
  public var warnings: [String] = []
  /// Lines read, the header included.
  public var lineCount = 0
  /// The SHA-256 of the file's bytes as lowercase hex (a fork's header names its parent by it).
  public var sha256 = ""

  /// The lineup in force at `line` (the header's before any lineup event).
  public func lineup(atLine line: Int) -> Lineup {
    lineups.last { $0.line <= line }?.lineup ?? Lineup(entries: [], nextID: 0)
  }

  /// Every model the log has records of, by number: its last label and architecture.
  public var allModels: [Lineup.Entry] {
    var byID: [Int: Lineup.Entry] = [:]
    for (_, lineup) in lineups {
      for e in lineup.entries { byID[e.id] = e }
    }
    return byID.keys.sorted().map { byID[$0]! }
  }

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

/// A model of a log's records: its number, and its seed in an ensemble's log.
struct SeedModel: Hashable {
  var seed: UInt64?
  var index: Int
}

/// Why a log cannot be used: `path:line: what is wrong`.
public struct LogError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ path: String, line: Int?, _ message: String) {
    description = OneLine.escaped(
      line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)")
  }
}

/// `read(2)`, out of reach of `LogReader.read`'s name.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(fd, buffer, count)
}

/// A digest as lowercase hex.
func hexDigest(_ digest: some Sequence<UInt8>) -> String {
  digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// A byte as 0xHH.
private func hex(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16, uppercase: true)
  return "0x" + (digits.count < 2 ? "0" : "") + digits
}

/// Reads and validates session logs.
public enum LogReader {
  /// Lines longer than this are refused rather than decoded (no log line sptop writes is near).
  public static let maximumLineBytes = 64 << 20

  private struct Kind: Decodable { var type: String }

  /// How far a read has come, for a progress line: bytes read of the file's size, lines so far.
  public struct Progress: Sendable {
    public var bytesRead: Int
    public var totalBytes: Int
    public var lines: Int
  }

  /// Reads and checks the log at `path` as it streams in: a path that is not a regular file (a
  /// FIFO, a device, a folder, a socket) is refused before anything is read, and a bad line
  /// stops the read there, so a file of junk is refused after its first line, not after it
  /// was read whole. `progress` is called after each chunk of a MiB.
  public static func read(path: String, progress: ((Progress) -> Void)? = nil) throws
    -> SessionLogContents
  {
    let fd: Int32
    do {
      fd = try SafeRead.openRegular(path)
    } catch {
      throw LogError(path, line: nil, error.description)
    }
    defer { _ = close(fd) }
    var info = stat()
    let total = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    var parser = Parser(path: path)
    let chunkSize = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var bytesRead = 0
    var hash = SHA256()
    while true {
      let n = readBytes(fd, buffer.baseAddress, chunkSize)
      if n < 0 {
        if errno == EINTR { continue }
        throw LogError(path, line: nil, "cannot be read: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      bytesRead += n
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
      hash.update(bufferPointer: chunk)
      try parser.feed(chunk)
      progress?(Progress(bytesRead: bytesRead, totalBytes: total, lines: parser.number))
    }
    var contents = try parser.finish()
    contents.sha256 = hexDigest(hash.finalize())
    return contents
  }

  /// Checks a whole log in memory (tests; `path` is only used in messages).
  public static func parse(_ data: Data, path: String) throws -> SessionLogContents {
    var parser = Parser(path: path)
    try data.withUnsafeBytes { try parser.feed($0) }
    var contents = try parser.finish()
    contents.sha256 = hexDigest(SHA256.hash(data: data))
    return contents
  }

  /// The reader's state between lines: lines are fed as they arrive, each checked at once.
  struct Parser {
    let path: String
    let decoder = JSONDecoder()
    var contents: SessionLogContents?
    /// The line being assembled (bytes after the last newline).
    var pending = Data()
    /// Lines completed so far.
    var number = 0
    /// A blank line seen last: tolerated at the end of the file, an error before another line.
    var blankLine: Int?
    /// The last metric and evaluation record of each model (of each seed, in an ensemble's log).
    var lastMetricOfModel: [SeedModel: (step: Int, line: Int)] = [:]
    var lastEvalOfModel: [SeedModel: (step: Int, line: Int)] = [:]
    var lastEvent: (step: Int, line: Int)?
    /// The lineup of this point of the file.
    var lineup = Lineup(entries: [], nextID: 0)

    init(path: String) { self.path = path }

    /// Takes the next bytes of the file: every line they complete is checked now.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
      guard let base = bytes.baseAddress else { return }
      var offset = 0
      while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
        let end = base.distance(to: UnsafeRawPointer(found))
        try append(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        let line = pending
        pending = Data()
        try self.line(line, terminated: true)
        offset = end + 1
      }
      try append(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    /// Adds to the line being assembled; refuses it once it is over the limit, and the first
    /// line (the header) as soon as its bytes show it is no JSON.
    private mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
      if contents == nil, let bad = scanStart(bytes, column: pending.count) {
        throw LogError(path, line: number + 1, "not JSON: \(bad)")
      }
      pending.append(contentsOf: bytes)
      if pending.count > maximumLineBytes {
        throw LogError(
          path, line: number + 1,
          "line too long: over the limit of \(maximumLineBytes >> 20) MiB a line")
      }
    }

    /// Whether the line being assembled has started (a non-blank byte was seen).
    var started = false

    /// Why these bytes, at `column` of their line, cannot be part of a JSON text: a control
    /// byte JSON never has (not even raw inside a string), or a first non-blank byte that
    /// starts no JSON value. Nil when the line may still be JSON (the decoder decides once it
    /// is whole).
    mutating func scanStart(_ bytes: UnsafeRawBufferPointer, column: Int) -> String? {
      let starts = Array("{[\"-0123456789tfn".utf8)
      for (k, byte) in bytes.enumerated() {
        switch byte {
        case 0x20, 0x09, 0x0D: continue
        case 0..<0x20:
          return "control byte \(hex(byte)) at column \(column + k + 1)"
        default:
          if !started && !starts.contains(byte) {
            return "byte \(hex(byte)) at column \(column + k + 1) cannot start a JSON value"
          }
          started = true
        }
      }
      return nil
    }

    mutating func finish() throws -> SessionLogContents {
      if !pending.isEmpty {
        let line = pending
        pending = Data()
        try self.line(line, terminated: false)
      }
      guard var result = contents else { throw LogError(path, line: nil, "empty log: no header") }
      result.lineCount = number
      return result
    }

    /// Checks one line; `terminated` is false only for a last line without its newline.
    mutating func line(_ line: Data, terminated: Bool) throws {
      number += 1
      started = false
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
        if let blank = blankLine { throw LogError(path, line: blank, "empty line") }
        blankLine = number
        return
      }
      if let blank = blankLine { throw LogError(path, line: blank, "empty line") }
      let kind: String
      do {
        kind = try decoder.decode(Kind.self, from: line).type
      } catch {
        if !terminated && contents != nil {
          contents!.warnings.append(
            "\(path):\(number): the last line is cut off (the run was killed?); ignored")
          return
        }
        let json = (try? JSONSerialization.jsonObject(with: line)) != nil
        throw LogError(
          path, line: number,
          json ? "a record needs a string field 'type'" : "not JSON: \(describe(error))")
      }
      try record(kind, line)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ line: Data, kind: String) throws -> T {
      do {
        return try decoder.decode(T.self, from: line)
      } catch {
        throw LogError(path, line: number, "\(kind) record: \(describe(error))")
      }
    }

    private mutating func record(_ kind: String, _ line: Data) throws {
      let number = self.number
      guard contents != nil else {
        guard kind == "header" else {
          throw LogError(path, line: number, "the first record must be the header, not '\(kind)'")
        }
        let header = try decode(SessionLog.Header.self, line, kind: kind)
        guard header.format == SessionLog.format else {
          throw LogError(
            path, line: number, "format '\(header.format)' is not \(SessionLog.format)")
        }
        guard SessionLog.readableVersions.contains(header.version) else {
          let versions = SessionLog.readableVersions
          throw LogError(
            path, line: number,
            "unknown format version \(header.version); this sptop reads versions "
              + "\(versions.lowerBound) to \(versions.upperBound)")
        }
        if let seeds = header.seeds {
          guard !seeds.isEmpty, Set(seeds).count == seeds.count, seeds.first == header.settings.seed
          else {
            throw LogError(
              path, line: number,
              "header: seeds must be distinct, at least one, the first the settings' seed")
          }
        }
        guard header.log_every > 0, header.eval_every > 0, header.start_step >= 0 else {
          throw LogError(
            path, line: number, "header: log_every, eval_every or start_step is invalid")
        }
        do {
          try header.settings.validate()
        } catch {
          throw LogError(path, line: number, "header settings: \(error)")
        }
        // The lineup when recording started is the settings' after the lineup events before it.
        var lineup = Lineup(architectures: header.settings.models)
        for e in header.prior_events {
          guard let event = e.sessionEvent, event.changesLineup else { continue }
          if let why = lineup.refusal(event) {
            throw LogError(path, line: number, "header: prior event '\(e.event)': \(why)")
          }
          _ = lineup.apply(event)
        }
        let recorded = header.lineup.enumerated().map { i, entry in
          Lineup.Entry(id: entry.index ?? i, label: entry.name, architecture: entry.architecture)
        }
        guard recorded == lineup.entries else {
          throw LogError(
            path, line: number,
            "header: the lineup (\(recorded.map(\.label).joined(separator: ", "))) is not the one "
              + "the settings and prior events make (\(lineup.entries.map(\.label).joined(separator: ", ")))"
          )
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
        contents!.lineups = [(number, lineup)]
        self.lineup = lineup
        return
      }
      if let end = contents!.end {
        throw LogError(
          path, line: number,
          "\(kind.first.map { "aeiou".contains($0) } == true ? "an" : "a") '\(kind)' record "
            + "after the end record (line \(end.line))")
      }
      let lineup = self.lineup
      let models = lineup.count
      let limit = contents!.header.settings.iterations
      let path = self.path
      func checkStep(_ step: Int) throws {
        guard step >= 0, limit == 0 || step <= limit else {
          throw LogError(
            path, line: number,
            "\(kind) record: step \(step) is outside the session's "
              + (limit == 0 ? "steps (≥ 0)" : "\(limit) iterations"))
        }
      }
      func checkModel(_ index: Int, _ name: String) throws {
        guard let i = lineup.position(of: index), lineup.entries[i].label == name else {
          throw LogError(path, line: number, "\(kind) record: no model \(index) named '\(name)'")
        }
      }
      // An ensemble's records each name a seed of the header's; one session's, none.
      let seeds = contents!.header.seeds
      func checkSeed(_ seed: UInt64?) throws {
        switch (seeds, seed) {
        case (nil, nil): return
        case (nil, let s?):
          throw LogError(path, line: number, "\(kind) record: seed \(s) in a log of one session")
        case (_?, nil):
          throw LogError(path, line: number, "\(kind) record: no seed in an ensemble's log")
        case (let all?, let s?):
          guard all.contains(s) else {
            throw LogError(path, line: number, "\(kind) record: seed \(s) is not the header's")
          }
        }
      }
      switch kind {
      case "metric":
        let m = try decode(SessionLog.Metric.self, line, kind: kind)
        try checkModel(m.index, m.model)
        try checkStep(m.step)
        try checkSeed(m.seed)
        let key = SeedModel(seed: m.seed, index: m.index)
        if let last = lastMetricOfModel[key] {
          // One metric record per model and step: the same step again is a repeat, an
          // earlier one a step back.
          if m.step == last.step {
            throw LogError(
              path, line: number,
              "metric record: model \(m.model) at step \(m.step) appears twice, "
                + "lines \(last.line) and \(number)")
          }
          if m.step < last.step {
            throw LogError(
              path, line: number,
              "steps go backwards: model \(m.model)'s metric at step \(m.step) comes after "
                + "its step \(last.step) (line \(last.line))")
          }
        }
        lastMetricOfModel[key] = (m.step, number)
        contents!.metrics.append((number, m))
      case "eval":
        let e = try decode(SessionLog.Eval.self, line, kind: kind)
        try checkModel(e.index, e.model)
        try checkStep(e.step)
        try checkSeed(e.seed)
        let key = SeedModel(seed: e.seed, index: e.index)
        if let last = lastEvalOfModel[key], e.step < last.step {
          throw LogError(
            path, line: number,
            "steps go backwards: model \(e.model) evaluated at step \(e.step) after step "
              + "\(last.step) (line \(last.line))")
        }
        lastEvalOfModel[key] = (e.step, number)
        contents!.evals.append((number, e))
      case "event":
        let e = try decode(SessionLog.Event.self, line, kind: kind)
        try checkStep(e.step)
        if let last = lastEvent, e.step < last.step {
          throw LogError(
            path, line: number,
            "steps go backwards: event '\(e.event)' at step \(e.step) after step \(last.step) "
              + "(line \(last.line))")
        }
        if let m = e.model, !(0..<models).contains(m) {
          throw LogError(path, line: number, "event record: no model \(m)")
        }
        if let event = e.sessionEvent, event.changesLineup {
          if let why = self.lineup.refusal(event) {
            throw LogError(path, line: number, "event record '\(e.event)': \(why)")
          }
          _ = self.lineup.apply(event)
          contents!.lineups.append((number, self.lineup))
        }
        lastEvent = (e.step, number)
        contents!.events.append((number, e))
      case "end":
        let e = try decode(SessionLog.End.self, line, kind: kind)
        try checkStep(e.step)
        // An ensemble's end lists the lineup once per seed, in the header's order of seeds.
        let expected = (seeds ?? [0]).flatMap { _ in lineup.entries }
        guard e.models.count == expected.count else {
          throw LogError(
            path, line: number, "end record: \(e.models.count) models, not \(expected.count)")
        }
        let seedOrder = (seeds ?? []).flatMap { s in lineup.entries.map { _ in Optional(s) } }
        for (k, m) in e.models.enumerated() where m.seed != (seeds == nil ? nil : seedOrder[k]) {
          throw LogError(
            path, line: number,
            "end record: entry \(k + 1) names seed \(m.seed.map(String.init) ?? "none"), not "
              + (seeds == nil ? "none (one session)" : "\(seedOrder[k]!)"))
        }
        for (m, entry) in zip(e.models, expected)
        where m.index != entry.id || m.name != entry.label {
          throw LogError(
            path, line: number,
            "end record: model '\(m.name)' (number \(m.index)) where the lineup has "
              + "'\(entry.label)' (number \(entry.id))")
        }
        contents!.end = (number, e)
      case "header":
        throw LogError(path, line: number, "a second header (the first is line 1)")
      default:
        throw LogError(path, line: number, "unknown record type '\(kind)'")
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

extension SessionLogContents {
  /// Whether the log is an ensemble's (its header names seeds).
  public var isEnsemble: Bool { header.seeds != nil }

  /// Seed `seed`'s session of an ensemble's log, as a log of that session alone: the header's
  /// settings with that seed (and its problem), its own metric, evaluation and end entries, the
  /// shared events and lineups. The log itself for one session.
  public func session(seed: UInt64) -> SessionLogContents {
    guard header.seeds != nil else { return self }
    return session(
      seed: seed, metrics: metrics.filter { $0.record.seed == seed },
      evals: evals.filter { $0.record.seed == seed })
  }

  /// Every seed's session of an ensemble's log (`session(seed:)` for each, in the header's
  /// order), the records sorted out in one pass.
  public func sessions() -> [SessionLogContents] {
    guard let seeds = header.seeds else { return [self] }
    let position = Dictionary(seeds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var m = [[(line: Int, record: SessionLog.Metric)]](repeating: [], count: seeds.count)
    var e = [[(line: Int, record: SessionLog.Eval)]](repeating: [], count: seeds.count)
    for r in metrics {
      if let s = r.record.seed, let k = position[s] { m[k].append(r) }
    }
    for r in evals {
      if let s = r.record.seed, let k = position[s] { e[k].append(r) }
    }
    return seeds.indices.map { k in session(seed: seeds[k], metrics: m[k], evals: e[k]) }
  }

  /// Seed `seed`'s session from its own metric and evaluation entries.
  private func session(
    seed: UInt64, metrics: [(line: Int, record: SessionLog.Metric)],
    evals: [(line: Int, record: SessionLog.Eval)]
  ) -> SessionLogContents {
    var one = self
    one.header.seeds = nil
    one.header.settings.seed = seed
    let p = Problem(n: header.settings.n, seed: seed, target: header.settings.target)
    let n = p.n
    let a: [Double] = p.A
    one.header.A = (0..<n).map { (i: Int) -> [Double] in Array(a[(i * n)..<((i + 1) * n)]) }
    one.header.xvalid = p.xvalid
    one.header.probe = SessionLog.ProbeInputs(
      additivity_x: p.probe.additivityX, additivity_y: p.probe.additivityY,
      homogeneity_x: p.probe.homogeneityX, lambdas: p.probe.lambdas)
    one.metrics = metrics.map { line, m in
      var m = m
      m.seed = nil
      return (line, m)
    }
    one.evals = evals.map { line, e in
      var e = e
      e.seed = nil
      return (line, e)
    }
    if let (line, end) = end {
      var e = end
      e.models = end.models.filter { $0.seed == seed }.map { m in
        var m = m
        m.seed = nil
        return m
      }
      one.end = (line, e)
    }
    return one
  }
}

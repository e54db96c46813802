import SPNumerics

/// What `sptop replay` plays: one session's log (`LogPlayback`) or an ensemble's
/// (`EnsemblePlayback`), on the log's own clock.
public protocol ReplaySource: Sendable {
  /// Seconds of the log's own time.
  var duration: Double { get }
  /// How many session steps one ← / → moves.
  var seekStep: Int { get }
  /// Where ← / → take the replay from `time`.
  func seek(from time: Double, by presses: Int) -> Double
  /// The session step shown at `time`.
  func step(at time: Double) -> Int
  /// A fresh state at the start of the log, to move through time.
  func makeCursor() -> any ReplayCursor
}

/// The replay's state at one moment, carried forward as its clock advances.
public protocol ReplayCursor {
  /// Models in the lineup at the cursor's moment.
  var modelCount: Int { get }
  /// Takes every record up to `time` (from the beginning if `time` is earlier than now).
  mutating func move(to time: Double)
  /// The session as it stood at `time`.
  mutating func snapshot(at time: Double, playing: Bool, version: Int) -> SessionSnapshot
}

extension LogPlayback: ReplaySource {
  public func makeCursor() -> any ReplayCursor { Cursor(self) }
}

extension LogPlayback.Cursor: ReplayCursor {}

/// An ensemble's log replayed as its live dashboard showed it: every seed's session played on
/// the log's clock (`LogPlayback` of `SessionLogContents.session(seed:)`), and each model over
/// the seeds as the live ensemble aggregates it (`EnsembleWorker.aggregate`): the median
/// figures, quartiles, divergences, the bands of its curves from every seed's metric records at
/// each recorded step, the seeds' faint traces, and the evidence against vanilla on what the log
/// records of each seed (its a-priori error and additivity error).
public struct EnsemblePlayback: ReplaySource {
  /// The whole log played as one: its clock, steps and seeking.
  public let whole: LogPlayback
  public let seeds: [UInt64]
  let members: [LogPlayback]
  /// Each model's values over the seeds at every step a metric record was written, by model
  /// number: (step, each seed's loss, each seed's a-priori error; NaN where a seed has none).
  let rows: [Int: [(step: Int, loss: [Double], apriori: [Double])]]

  public init(_ log: SessionLogContents) {
    whole = LogPlayback(log)
    seeds = log.header.seeds ?? [log.header.settings.seed]
    let sessions = log.sessions()
    members = sessions.map(LogPlayback.init)
    var table: [Int: [Int: (loss: [Double], apriori: [Double])]] = [:]
    let none = [Double](repeating: .nan, count: sessions.count)
    for (k, s) in sessions.enumerated() {
      for (_, r) in s.metrics {
        var row = table[r.index, default: [:]][r.step] ?? (none, none)
        row.loss[k] = r.loss ?? .nan
        row.apriori[k] = r.apriori_error ?? .nan
        table[r.index, default: [:]][r.step] = row
      }
    }
    rows = table.mapValues { steps in
      steps.sorted { $0.key < $1.key }.map {
        (step: $0.key, loss: $0.value.loss, apriori: $0.value.apriori)
      }
    }
  }

  public var duration: Double { whole.duration }
  public var seekStep: Int { whole.seekStep }
  public func seek(from time: Double, by presses: Int) -> Double {
    whole.seek(from: time, by: presses)
  }
  public func step(at time: Double) -> Int { whole.step(at: time) }
  public func makeCursor() -> any ReplayCursor { Cursor(self) }

  /// Every seed's cursor, and each model's bands up to the step shown.
  public struct Cursor: ReplayCursor {
    let playback: EnsemblePlayback
    var members: [LogPlayback.Cursor]
    var tracks: [Int: EnsembleWorker.Track] = [:]
    /// How many rows of each model the tracks hold.
    var taken: [Int: Int] = [:]
    var shownStep = Int.min
    var waterfallRows: [Int: [Int: [Double]]] = [:]

    public init(_ playback: EnsemblePlayback) {
      self.playback = playback
      members = playback.members.map(LogPlayback.Cursor.init)
    }

    public var modelCount: Int { members.first?.modelCount ?? 0 }

    public mutating func move(to time: Double) {
      for k in members.indices { members[k].move(to: time) }
    }

    public mutating func snapshot(at time: Double, playing: Bool, version: Int)
      -> SessionSnapshot
    {
      let all = members.indices.map {
        members[$0].snapshot(at: time, playing: playing, version: version)
      }
      let step = playback.step(at: time)
      if step < shownStep {
        tracks = [:]
        taken = [:]
      }
      shownStep = step
      for (id, rows) in playback.rows {
        var track = tracks[id] ?? EnsembleWorker.Track()
        var k = taken[id] ?? 0
        while k < rows.count, rows[k].step <= step {
          track.loss.append(iteration: rows[k].step, values: rows[k].loss)
          track.apriori.append(iteration: rows[k].step, values: rows[k].apriori)
          k += 1
        }
        tracks[id] = track
        taken[id] = k
      }
      var out = all[0]
      let seeds = playback.seeds
      out.models = out.models.indices.map { i in
        let id = all[0].models[i].id
        var rows = waterfallRows[id] ?? [:]
        let m = EnsembleWorker.aggregate(
          all.compactMap { $0.models.indices.contains(i) ? $0.models[i] : nil },
          track: tracks[id] ?? EnsembleWorker.Track(), seeds: seeds, waterfallRows: &rows)
        waterfallRows[id] = rows
        return m
      }
      var summary = EnsembleSummary(seeds: seeds, threads: 1)
      let models = all[0].models
      summary.evidence = SignTest.evidence(
        names: models.map(\.label), architectures: models.map(\.architecture), seeds: all.count
      ) { i, k, p in
        guard all[k].models.indices.contains(i) else { return nil }
        let m = all[k].models[i]
        let v: Double? =
          switch p {
          case "apriori_error": m.aprioriError
          case StructureProperty.additivity.rawValue: m.structure.additivity
          default: nil
          }
        return v.flatMap { $0.isFinite ? $0 : nil }
      }.filter { $0.of > 0 }
      out.ensemble = summary
      return out
    }
  }
}

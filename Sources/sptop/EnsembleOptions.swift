import ArgumentParser
import Foundation
import SPEngine

/// `--seeds SPEC` and `--threads T` of `sptop run`: the lineup over many seeds.
struct EnsembleOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Train the lineup once per seed and summarise over the seeds: a list of seeds and ranges "
        + "(1-32, 1,5,9, 1-1000). Each seed is exactly the session --seed s runs alone.",
      valueName: "spec"))
  var seeds: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Threads that train the seeds (default: every core). Results do not depend on it.",
      valueName: "t"))
  var threads: Int?

  func validate() throws {
    if let seeds {
      do {
        _ = try SeedSpec(seeds)
      } catch {
        throw ValidationError("--seeds: \(error.description)")
      }
    }
    if let t = threads, !(1...1024).contains(t) {
      throw ValidationError("--threads: must be 1…1024, got \(t)")
    }
    if threads != nil, seeds == nil {
      throw ValidationError("--threads: only with --seeds (one seed trains on one thread)")
    }
  }

  /// What `--seeds` does not combine with (yet): one line each.
  static func refuseWith(seed: Bool, fork: Bool, record: Bool) throws {
    if seed {
      throw ValidationError("--seed and --seeds: give one (--seeds 7 is the seed 7 alone)")
    }
    if fork {
      throw ValidationError("--seeds: a fork continues one recorded seed; not with --fork")
    }
    if record {
      throw ValidationError(
        "--seeds: an ensemble is not recorded to a session log yet; use sptop run --seeds "
          + "--json for its result")
    }
  }

  /// The seeds, if `--seeds` was given (checked in `validate`).
  var spec: SeedSpec? { seeds.flatMap { try? SeedSpec($0) } }

  /// Threads to use: `--threads`, else every core.
  var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// `sptop run --seeds`: every seed trained, then the table or the JSON.
enum EnsembleCommand {
  static func run(
    settings: SessionSettings, spec: SeedSpec, threads: Int, json: Bool
  ) throws {
    let total = spec.seeds.count
    let stop = SignalBox()
    let sources = [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { sig in
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { stop.set(sig) }
      source.resume()
      return source
    }
    defer { for s in sources { s.cancel() } }
    // Drawn by one training thread at a time, under `shown`'s lock.
    nonisolated(unsafe) let line = ProgressLine()
    let shown = Locked(0.0)
    let start = monotonicSeconds()
    let quarters = Locked(1)
    let isTerminal = line.enabled
    let results = Ensemble.run(
      settings, seeds: spec.seeds, threads: threads,
      progress: { p in
        let now = monotonicSeconds()
        if isTerminal {
          // One thread at a time draws, at most ten times a second.
          shown.withLock { last in
            guard now - last >= 0.1 else { return }
            last = now
            let rate = Double(p.steps) / max(now - start, 1e-3)
            let all = Double(total) * Double(settings.iterations)
            line.show(
              "sptop run: \(p.seedsDone)/\(total) seeds, \(ProgressLine.count(Int(rate))) "
                + "session steps/s, "
                + ProgressLine.eta((all - Double(p.steps)) / max(rate, 1e-9)))
          }
        } else {
          quarters.withLock { q in
            while q < 4 && p.seedsDone * 4 >= total * q {
              FileHandle.standardError.write(
                Data("sptop run: \(total * q / 4)/\(total) seeds\n".utf8))
              q += 1
            }
          }
        }
      },
      stopped: { stop.value != nil })
    line.clear()
    guard let results else {
      let sig = stop.value ?? SIGINT
      FileHandle.standardError.write(
        Data("sptop run: stopped by signal \(sig); no result for an unfinished ensemble\n".utf8))
      Foundation.exit(128 + sig)
    }
    let elapsed = monotonicSeconds() - start
    FileHandle.standardError.write(
      Data(
        "sptop run: \(total) seeds × \(settings.iterations) steps in \(String(format: "%.3f", elapsed)) s\n"
          .utf8))
    let result = EnsembleResult(
      results, seeds: spec.seeds, settings: settings, threads: threads, elapsed: elapsed)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      FileHandle.standardOutput.write(try encoder.encode(result))
      FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
      print(ResultTable.render(result, spec: spec), terminator: "")
    }
  }
}

import Foundation
import SPDashboard
import SPEngine
import SPTUI

/// The figures of `sptop bench` beyond training steps: whole processes, memory, the dashboard's
/// frame cost, and the yardsticks measured in the same run.
extension Bench {
  /// This executable, to run as a child.
  var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }

  /// Runs a child to completion with posix_spawn (stdout captured in a temporary file, stderr
  /// discarded); returns wall seconds, its own peak resident KiB (wait4) and its stdout. The
  /// file is unlinked as soon as it is open, so nothing is left behind even when the benchmark
  /// is interrupted.
  func child(_ path: String, _ arguments: [String]) throws -> (
    seconds: Double, maxRSSKiB: Int, output: String
  ) {
    let folder = FileManager.default.temporaryDirectory.path
    var template = Array((folder + "/sptop-bench-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw CommandFailure(
        message: "bench: cannot create a temporary file in \(folder) (TMPDIR): "
          + String(cString: strerror(errno)))
    }
    let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fd, 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let t0 = monotonicSeconds()
    let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard rc == 0 else {
      throw CommandFailure(message: "bench: cannot run \(path): \(String(cString: strerror(rc)))")
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = monotonicSeconds() - t0
    lseek(fd, 0, SEEK_SET)
    let text = String(decoding: output.readDataToEndOfFile(), as: UTF8.self)
    return (seconds, Int(usage.ru_maxrss), text)
  }

  /// Median wall milliseconds of `sptop run` as a process.
  func processMilliseconds() throws -> Double {
    median(try (0..<reps).map { _ in try child(executable, ["run"]).seconds * 1e3 })
  }

  /// Peak resident memory of a short and a 1000× longer run (each child's own ru_maxrss).
  func memoryFigures() throws -> [Figure] {
    let short = try child(executable, ["run", "--iterations", "10000"]).maxRSSKiB
    let long = try child(executable, ["run", "--iterations", "10000000"]).maxRSSKiB
    return [
      Figure(
        name: "peak RSS, 10,000 steps", value: Double(short) / 1024, unit: "MiB",
        definition: "ru_maxrss of `sptop run --iterations 10000`"),
      Figure(
        name: "peak RSS, 10,000,000 steps", value: Double(long) / 1024, unit: "MiB",
        definition: "ru_maxrss of `sptop run --iterations 10000000`"),
      Figure(
        name: "memory growth over 1000× steps", value: Double(long - short) / 1024, unit: "MiB",
        definition: "difference of the two (target: under 1 MiB)"),
    ]
  }

  /// The dashboard's cost per frame: layout, widgets and diff, on a live snapshot.
  func dashboardFigures() -> [Figure] {
    let session = try! TrainingSession(settings: SessionSettings(iterations: 0))
    session.start()
    var snapshot: SessionSnapshot?
    let deadline = monotonicSeconds() + 5
    while monotonicSeconds() < deadline {
      if let s = session.snapshot, s.step > 2000 {
        snapshot = s
        break
      }
      usleep(2000)
    }
    session.send(.stop)
    session.waitUntilFinished()
    guard let snapshot else { return [] }
    var figures: [Figure] = []
    for (w, h) in [(200, 60), (120, 40)] {
      var previous = Buffer(width: w, height: h)
      var changed = 0
      let frames = 200
      var times: [Double] = []
      for k in 0..<frames {
        var s = snapshot
        s.step += k
        s.elapsed += Double(k) / 30
        let t0 = monotonicSeconds()
        var buffer = Buffer(width: w, height: h)
        DashboardView(snapshot: s, state: DashboardState()).render(in: buffer.area, into: &buffer)
        let diff = buffer.diff(from: previous)
        times.append(monotonicSeconds() - t0)
        if k > 0 { changed += diff.count }
        previous = buffer
      }
      figures.append(
        Figure(
          name: "dashboard frame \(w)×\(h)", value: median(times) * 1e3, unit: "ms",
          definition: "render every pane into a buffer and diff it with the last frame"))
      if w == 120 {
        figures.append(
          Figure(
            name: "cells changed per frame 120×40", value: Double(changed) / Double(frames - 1),
            unit: "cells",
            definition: "steady state, header clock and step advancing (of 4800 cells)"))
      }
    }
    return figures
  }

  /// An ensemble's throughput on one thread and on every core, and the dashboard's frame with
  /// an ensemble's bands.
  func ensembleFigures() -> [Figure] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let settings = SessionSettings(iterations: 1000)
    let seeds = Array(UInt64(1)...32)
    let modelSteps = Double(seeds.count * settings.iterations * settings.models.count)
    var figures: [Figure] = []
    var rates: [Int: Double] = [:]
    let counts = Array(Set([1, cores])).sorted()
    let measured = medianSeconds(
      ofEach: counts.map { threads in
        { _ = Ensemble.run(settings, seeds: seeds, threads: threads) }
      })
    for (threads, seconds) in zip(counts, measured) {
      rates[threads] = modelSteps / seconds
      figures.append(
        Figure(
          name: "ensemble 32 seeds, \(threads) thread\(threads == 1 ? "" : "s")",
          value: modelSteps / seconds / 1e3, unit: "k/s",
          definition:
            "model-steps a second: vanilla, penalized, linear × 32 seeds × 1000 steps, n=5"))
    }
    if cores > 1, let one = rates[1], let all = rates[cores] {
      figures.append(
        Figure(
          name: "ensemble speed-up, \(cores) threads", value: all / one, unit: "×",
          definition:
            "the two figures above, measured in turns; the numbers trained do not depend on it (tested)"
        ))
    }
    // The frame of an ensemble's dashboard: medians, bands, quartiles in the rows.
    let session = try! TrainingSession(
      settings: SessionSettings(iterations: 2000), stopsWhenDone: true, seeds: seeds,
      threads: cores)
    session.start()
    session.waitUntilFinished()
    if let snapshot = session.snapshot {
      var times: [Double] = []
      var previous = Buffer(width: 200, height: 60)
      for k in 0..<100 {
        var s = snapshot
        s.step += k
        let t0 = monotonicSeconds()
        var buffer = Buffer(width: 200, height: 60)
        DashboardView(snapshot: s, state: DashboardState()).render(in: buffer.area, into: &buffer)
        _ = buffer.diff(from: previous)
        times.append(monotonicSeconds() - t0)
        previous = buffer
      }
      figures.append(
        Figure(
          name: "dashboard frame 200×60, 32 seeds", value: median(times) * 1e3, unit: "ms",
          definition: "the same as above with an ensemble's bands and quartiles"))
    }
    return figures
  }

  /// The yardsticks built and run now, beside sptop's own figures, as ratios.
  func yardstickFigures(dir: String, ours: [Figure]) throws -> [Figure] {
    let source = (dir as NSString).appendingPathComponent("reference.c")
    let script = (dir as NSString).appendingPathComponent("reference_numpy.py")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sptop-reference-\(getpid())"
    ).path
    // The one file bench writes is never one of the yardsticks it reads.
    var files = FileGuard()
    files.input(source, role: "the yardstick reference.c")
    files.input(script, role: "the yardstick reference_numpy.py")
    do {
      try files.output(binary, flag: "--yardsticks")
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    _ = try child(Self.gcc, ["-O3", "-march=native", "-DN=5", "-o", binary, source, "-lm"])
    defer { try? FileManager.default.removeItem(atPath: binary) }
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      throw CommandFailure(message: "--yardsticks \(dir): gcc could not build reference.c")
    }
    func ourValue(_ name: String) -> Double? { ours.first { $0.name == name }?.value }
    var figures: [Figure] = []
    for model in ["vanilla", "penalized", "linear"] {
      let out = try child(binary, [model, "5000", String(reps)]).output
      guard let us = Self.jsonNumber(out, "us_per_step") else { continue }
      figures.append(
        Figure(
          name: "C reference \(model) n=5", value: us, unit: "µs",
          definition: "reference.c, gcc -O3 -march=native -DN=5, median of \(reps)"))
      if let mine = ourValue("step \(model) n=5") {
        figures.append(
          Figure(
            name: "sptop / C \(model) n=5", value: mine / us, unit: "×",
            definition: "below 1 means sptop is faster"))
      }
    }
    if FileManager.default.fileExists(atPath: script) {
      let out = try child(
        "/usr/bin/env",
        [
          "python3", script, "time", "--n", "200", "--niter", "200", "--models", "vanilla",
          "--scaled-init", "--reps", String(min(reps, 5)),
        ]
      ).output
      if let us = Self.jsonNumber(out, "us_per_step") {
        figures.append(
          Figure(
            name: "numpy vanilla n=200", value: us, unit: "µs",
            definition: "reference_numpy.py, batched, scaled init, 200 steps"))
        if let mine = ourValue("step vanilla n=200") {
          figures.append(
            Figure(
              name: "sptop / numpy vanilla n=200", value: mine / us, unit: "×",
              definition: "below 1 means sptop is faster"))
        }
      }
    }
    return figures
  }

  /// The number after `"key": ` in a line of JSON.
  static func jsonNumber(_ text: String, _ key: String) -> Double? {
    guard let r = text.range(of: "\"\(key)\": ") else { return nil }
    return Double(text[r.upperBound...].prefix { "0123456789.eE+-".contains($0) })
  }
}

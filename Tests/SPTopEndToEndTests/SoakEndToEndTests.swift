import Foundation
import SPTestSupport
import Testing

/// The soak test: the dashboard under tmux takes random presses of every key bound in the
/// standard key map (four a second; q, Ctrl-C and an Esc that would quit never) for
/// SPTOP_SOAK_SECONDS seconds (default 120; a 30-minute run by hand is
/// `SPTOP_SOAK_SECONDS=1800 swift test --filter SoakEndToEndTests`). The keys that open a popup
/// (c, i, Insert, e) are followed by a few of its keys and Esc; x and Delete remove the focused
/// model and i adds one of the same architecture back, so three models train throughout; Esc
/// is pressed only while the help or the cursor would take it. sptop runs in a temporary folder,
/// where `r` records and `E` exports. Checked: it never exits, still answers at the end (q →
/// status 0, stty restored), resident memory stays flat and session steps per second stay
/// steady (per CPU second, which the load of the tests beside it does not change; the header's
/// steps/s are reported too). The figures are printed ("soak: …") for the README.
@Suite(.timeLimit(.minutes(60))) struct SoakEndToEndTests {
  /// Every key bound in the standard key map (`KeyMap.standard`) except the quitting ones (q,
  /// Ctrl-C; Esc is pressed only where it does not quit), with the cursor's keys (tmux key
  /// names).
  static let keys = [
    "Space", "s", "a", "Tab", "A", "BTab", "+", "=", "-", "R", "c", "i", "IC", "x", "DC", "e",
    "r", "E", "m", "w", "o", "l", "z", "v", "g", "<", ">", "?", "F1", "t", "[", "]", "p", "S",
    "Escape", "Left", "Right", "S-Left", "S-Right", "PPage", "NPage", "Home", "End", "Up",
    "Down",
  ]

  /// The architectures in the picker's order (`ArchitecturePicker.names`) that the session
  /// starts with.
  static let pickerOrder = ["vanilla", "penalized", "linear"]

  /// The models pane's rows: each model's label and η ("│▶ vanilla    1.00e-03    63206 …").
  static func modelRows(_ screen: [String]) -> [(label: String, eta: String)] {
    screen.compactMap { row in
      guard row.hasPrefix("│▶ ") || row.hasPrefix("│  ") else { return nil }
      let fields = row.dropFirst(3).split(separator: " ")
      guard fields.count >= 3, fields[1].contains("e"), Double(fields[1]) != nil,
        Int(fields[2]) != nil
      else { return nil }
      return (String(fields[0]), String(fields[1]))
    }
  }

  /// VmRSS of process `pid` in KiB, from /proc/PID/status.
  static func residentKiB(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return Int(line.split(separator: " ").dropFirst().first ?? "")
  }

  /// Session steps per second from the header ("285k steps/s"), when RUNNING.
  static func stepsPerSecond(_ screen: [String]) -> Double? {
    guard let header = screen.first, header.contains("RUNNING"),
      let r = header.range(of: " steps/s")
    else { return nil }
    let token = header[..<r.lowerBound].split(separator: " ").last.map(String.init) ?? ""
    let scale: [Character: Double] = ["k": 1e3, "M": 1e6, "G": 1e9]
    if let last = token.last, let factor = scale[last], let v = Double(token.dropLast()) {
      return v * factor
    }
    return Double(token)
  }

  /// The median of `count` readings of steps per second, one every half second.
  static func medianRate(_ s: TmuxSession, count: Int = 7) async -> Double {
    var rates: [Double] = []
    for _ in 0..<count {
      try? await Task.sleep(nanoseconds: 500_000_000)
      if let r = stepsPerSecond(s.capture()) { rates.append(r) }
    }
    rates.sort()
    return rates.isEmpty ? 0 : rates[rates.count / 2]
  }

  /// The session step in the header ("step 123456").
  static func step(_ screen: [String]) -> Int? {
    guard let header = screen.first, let r = header.range(of: "step ") else { return nil }
    return Int(header[r.upperBound...].prefix { $0.isNumber })
  }

  /// CPU seconds process `pid` has used (user + system, all threads), from /proc/PID/stat.
  static func cpuSeconds(_ pid: pid_t) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let paren = stat.lastIndex(of: ")")
    else { return nil }
    // After "pid (comm)": state is field 3, utime 14 and stime 15.
    let fields = stat[stat.index(after: paren)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12])
    else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  /// Session steps per CPU second of sptop over `seconds`: what the machine's other load (the
  /// tests running beside this one) does not change, unlike steps per wall-clock second.
  static func stepsPerCPUSecond(_ s: TmuxSession, pid: pid_t, seconds: Double = 3) async
    -> Double
  {
    guard let step0 = step(s.capture()), let cpu0 = cpuSeconds(pid) else { return 0 }
    try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    guard let step1 = step(s.capture()), let cpu1 = cpuSeconds(pid), cpu1 > cpu0 else { return 0 }
    return Double(step1 - step0) / (cpu1 - cpu0)
  }

  /// A small seeded generator (SplitMix64), so a run can be repeated with SPTOP_SOAK_SEED.
  struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  /// Waits with `Task.sleep`, never `usleep`: a test that blocks a thread of the cooperative
  /// pool (two on this machine) for minutes starves the tests running beside it.
  @Test func randomKeysForMinutes() async throws {
    let environment = ProcessInfo.processInfo.environment
    let seconds = Double(environment["SPTOP_SOAK_SECONDS"] ?? "") ?? 120
    let seed = UInt64(environment["SPTOP_SOAK_SEED"] ?? "") ?? UInt64.random(in: 1...999_999)
    let folder = try TemporaryFolder("soak")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let inner =
      "cd \(TmuxSession.quote(dir)) && exec \(TmuxSession.quote(SPTopProcess.binary.path)) "
      + "--iterations 0 --log-every 5000"
    let s = try TmuxSession("sh -c \(TmuxSession.quote(inner))", width: 120, height: 40)
    defer { s.close() }
    try #require(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    let pid = try #require(s.pid)
    try await Task.sleep(nanoseconds: 3_000_000_000)
    let startRSS = try #require(Self.residentKiB(pid))
    let startRate = await Self.medianRate(s)
    let startPerCPU = await Self.stepsPerCPUSecond(s, pid: pid)

    // What the keys did, so the end can put the session back as it started, and so Esc is
    // pressed only where it does not quit.
    var focus = 0
    var lineup = Self.pickerOrder
    var etaExponent = [0, 0, 0]
    var paused = false
    var help = false
    var recording = false
    var throttled = false
    var view = "charts"
    var cursor: String?  // nil, "main" or "lambda"
    var presses = 0
    var peakRSS = startRSS
    var random = Random(state: seed)
    let deadline = Date().addingTimeInterval(seconds)
    var nextCheck = Date().addingTimeInterval(10)
    // Resident memory at each sixth of the run, so a warm-up can be told from a steady climb.
    var trace: [Int] = []
    var nextTrace = Date().addingTimeInterval(seconds / 6)
    func pause(_ milliseconds: Int) async throws {
      try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
    }
    func send(_ key: String) {
      s.sendKeys(key)
      presses += 1
    }
    /// Waits for a popup (its title on screen); an Issue when it never shows.
    func popupShown(_ title: String) -> Bool {
      let shown = SPTestSupport.waitFor(timeout: 5, every: 0.05) {
        s.capture().contains { $0.contains(title) } ? true : nil
      }
      if shown == nil { Issue.record("no popup '\(title)'\n\(s.report(s.capture()))") }
      return shown != nil
    }
    while Date() < deadline {
      let key = Self.keys[random.next(Self.keys.count)]
      switch key {
      // A popup: a few of its keys, then Esc (it closes the popup and changes nothing). The help
      // is closed first, so the popup shows and one Esc closes it.
      case "c", "i", "IC", "e":
        if help {
          send("?")
          help = false
        }
        send(key)
        let title = key == "e" ? "settings of " : key == "c" ? "replace " : "add a model"
        guard popupShown(title) else { break }
        for _ in 0..<random.next(4) {
          send(["Up", "Down", "Tab", "Left", "Right"][random.next(5)])
          try await pause(100)
        }
        send("Escape")
      // The focused model goes; one of its architecture comes back at the end of the lineup,
      // focused.
      case "x", "DC":
        if help {
          send("?")
          help = false
        }
        let architecture = lineup.remove(at: focus)
        etaExponent.remove(at: focus)
        send(key)
        try await pause(300)
        send("i")
        guard popupShown("add a model") else { break }
        for _ in 0..<(Self.pickerOrder.firstIndex(of: architecture) ?? 0) { send("Down") }
        send("Enter")
        lineup.append(architecture)
        etaExponent.append(0)
        focus = lineup.count - 1
        try await pause(300)
      case "Escape":
        // Esc closes the help, else leaves the cursor; else it would quit: not pressed then.
        if help {
          help = false
        } else if cursor != nil {
          cursor = nil
        } else {
          continue
        }
        send(key)
      default:
        send(key)
      }
      switch key {
      case "Space": paused.toggle()
      case "a", "Tab": focus = (focus + 1) % 3
      case "A", "BTab": focus = (focus + 2) % 3
      case "+", "=": etaExponent[focus] += 1
      case "-": etaExponent[focus] -= 1
      case "r": recording.toggle()
      case "?", "F1": help.toggle()
      case "[", "]": throttled = true
      case "p": throttled.toggle()
      case "m", "w", "o":
        let shown = ["m": "matrix", "w": "waterfall", "o": "rollout"][key]!
        view = view == shown ? "charts" : shown
        cursor = nil
      case "v":
        if view == "charts" || view == "waterfall" {
          cursor = cursor == nil ? "main" : cursor == "main" ? "lambda" : nil
        } else {
          cursor = nil
        }
      default: break
      }
      try await pause(150 + random.next(200))
      if Date() >= nextCheck {
        nextCheck = Date().addingTimeInterval(10)
        try #require(
          s.exitStatus == nil, "sptop exited after \(presses) keys\n\(s.report(s.capture()))")
        peakRSS = max(peakRSS, Self.residentKiB(pid) ?? 0)
      }
      if Date() >= nextTrace {
        nextTrace = nextTrace.addingTimeInterval(seconds / 6)
        trace.append(Self.residentKiB(pid) ?? 0)
      }
    }
    try #require(s.exitStatus == nil, "sptop exited after \(presses) keys")

    // Back to the start: running as fast as it goes, no help, not recording, every η as given,
    // every model fresh (the lineup's order may have changed, its architectures have not).
    if help { s.sendKeys("?") }
    if paused { s.sendKeys("Space") }
    if recording { s.sendKeys("r") }
    if throttled { s.sendKeys("p") }
    for model in 0..<3 {
      while focus != model {
        s.sendKeys("a")
        focus = (focus + 1) % 3
      }
      for _ in 0..<abs(etaExponent[model]) { s.sendKeys(etaExponent[model] > 0 ? "-" : "+") }
      s.sendKeys("R")
    }
    let restored = s.waitFor(timeout: 10, "three models, every η back at 1.00e-03, RUNNING") {
      screen in
      let rows = Self.modelRows(screen)
      return screen.first?.contains("RUNNING") == true && screen.first?.contains("pace max") == true
        && rows.count == 3 && rows.allSatisfy { $0.eta == "1.00e-03" }
    }
    #expect(restored != nil)
    try await Task.sleep(nanoseconds: 2_000_000_000)
    let endRSS = try #require(Self.residentKiB(pid))
    let endRate = await Self.medianRate(s)
    let endPerCPU = await Self.stepsPerCPUSecond(s, pid: pid)
    peakRSS = max(peakRSS, endRSS)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    let records = files.filter { $0.hasSuffix(".jsonl") }.count
    let exports = files.filter { $0.hasSuffix(".svg") }.count
    print(
      "soak: \(Int(seconds)) s, \(presses) keys (seed \(seed)), \(records) recordings, "
        + "\(exports) exported views; "
        + "RSS start \(startRSS) KiB, end \(endRSS) KiB, peak \(peakRSS) KiB, "
        + "at each sixth \(trace.map(String.init).joined(separator: " ")) KiB; "
        + "steps/s start \(Int(startRate)), end \(Int(endRate)); "
        + "steps per CPU second start \(Int(startPerCPU)), end \(Int(endPerCPU))")

    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0, "q still quits after \(presses) keys")
    #expect(s.sttyAfter == s.sttyBefore)
    // Flat memory: the histories are bounded, so minutes of training add little.
    #expect(endRSS - startRSS < 20 * 1024, "RSS grew from \(startRSS) to \(endRSS) KiB")
    // Steady speed: steps per second in the header are read and reported, but the tests beside
    // this one load the two cores unevenly, so the check is on steps per CPU second.
    #expect(startRate > 0 && endRate > 0, "steps/s \(startRate) → \(endRate)")
    #expect(
      startPerCPU > 0 && endPerCPU >= 0.6 * startPerCPU,
      "steps per CPU second \(startPerCPU) → \(endPerCPU)")
  }
}

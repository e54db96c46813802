import Foundation
import SPConfig
import SPDashboard
import SPEngine
import SPTUI
import SPTestSupport
import Testing

@testable import SPApp

/// The whole dashboard driven through the test backend: every key, resizes, recording on and
/// off, theme cycling and signals, with no terminal, each in milliseconds.
@Suite struct DashboardLoopTests {
  static func session(iterations: Int = 0, models: [String]? = nil) throws -> TrainingSession {
    var settings = SessionSettings(iterations: iterations)
    if let models { settings.models = models }
    let session = try TrainingSession(settings: settings, publishInterval: 1.0 / 120)
    session.start()
    return session
  }

  static func run(
    _ session: TrainingSession, _ backend: TestBackend,
    configure: (inout DashboardLoop) -> Void = {
      _ in
    }
  ) -> (status: Int32, loop: DashboardLoop) {
    var loop = DashboardLoop(
      session: session, terminal: backend, fps: 240, modelCount: session.settings.models.count)
    configure(&loop)
    let status = loop.run()
    session.send(.stop)
    _ = session.waitUntilFinished(timeout: 10)
    return (status, loop)
  }

  @Test func pauseStepEtaFocusResetAndQuit() throws {
    let session = try Self.session()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("running") { $0.contains("RUNNING") },
        .key(.character(" ")), .until("paused") { $0.contains("PAUSED") && $0.contains("paused") },
        .key(.character("s")), .key(.character("s")),
        .key(.character("a")), .until("focus") { $0.contains("▶ penalized") },
        .key(.character("+")), .until("η doubled") { $0.contains("2.00e-03") },
        .key(.character("R")),
        .key(.character("l")), .until("linear axis") { $0.contains(" LIN ") },
        .key(.character("m")), .until("matrix") { $0.contains("structure matrix") },
        .key(.character("w")), .until("waterfall") { $0.contains("homogeneity error over λ and") },
        .key(.character("?")), .until("help") { $0.contains("sptop keys") },
        .key(.escape), .until("help closed") { !$0.contains("sptop keys") },
        .key(.character(" ")), .until("running again") { $0.contains("RUNNING") },
        .key(.character("q")),
      ])
    let (status, loop) = Self.run(session, backend)
    #expect(status == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(backend.scriptDone)
    #expect(loop.state.focus == 1 && !loop.state.logScale)
    let result = try #require(session.result)
    #expect(result.models[1].eta == 0.002)
    let last = try #require(session.snapshot)
    #expect(last.models[1].resets.count == 1 && last.models[0].resets.isEmpty)
    #expect(last.models[1].etaChanges.count == 1)
  }

  @Test func keysThatCannotActSayWhyInTheFooter() throws {
    let session = try Self.session(iterations: 200)
    let backend = TestBackend(
      width: 100, height: 30,
      script: [
        .until("done") { $0.contains("DONE") },
        .key(.character(" ")), .until("notice") { $0.contains("the run is done (step 200/200)") },
        .key(.character("R")), .until("reset refused") { $0.contains("would never train") },
        .key(.character("q")),
      ])
    let (status, _) = Self.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(try #require(session.result).models.allSatisfy { $0.iterations == 200 })
  }

  @Test func resizesRedrawWholeAndTooSmallSaysSo() throws {
    let session = try Self.session()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("first frame") { $0.contains("RUNNING") },
        .resize(width: 60, height: 20), .until("too small") { $0.contains("needs at least 80×24") },
        .resize(width: 80, height: 24), .until("back") { $0.contains("RUNNING") },
        .key(.character("q")),
      ])
    let (status, _) = Self.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)")
    #expect(backend.invalidations == 2)
    #expect(backend.frames.last?.width == 80 && backend.frames.last?.height == 24)
  }

  @Test func recordingStartsAndStops() throws {
    let folder = try TemporaryFolder("app")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.url
    let path = dir.appendingPathComponent("rec.jsonl").path
    let session = try Self.session()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("running") { $0.contains("RUNNING") },
        .key(.character("r")), .until("recording") { $0.contains("● REC rec.jsonl") },
        .key(.character("r")), .until("stopped") { !$0.contains("● REC") },
        .key(.character("q")),
      ])
    let (status, _) = Self.run(session, backend) {
      $0.recorder = RecordingControl(
        requestedPath: path, force: false, logEvery: 10, evalEvery: 100, inputs: FileGuard())
    }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)")
    let log = try LogReader.read(path: path)
    #expect(log.end?.record.reason == "stopped")
    #expect(!log.metrics.isEmpty)
  }

  @Test func tCyclesToTheNextThemeAndSaysWhich() throws {
    let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")
    let catalog = ThemeCatalog(directories: [(.shipped, themes)])
    let start = try catalog.load("dark")
    let session = try Self.session()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("running") { $0.contains("RUNNING") },
        .key(.character("t")), .until("next theme") { $0.contains("theme gruvbox (2/6)") },
        .key(.character("q")),
      ])
    let (status, loop) = Self.run(session, backend) {
      $0.themes = ThemeCycler(catalog: catalog, start: start, colors: true)
    }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.themes?.theme != start.theme)
  }

  @Test func aSignalEndsTheLoopWithItsStatus() throws {
    let session = try Self.session()
    let backend = TestBackend(
      width: 120, height: 40, script: [.until("running") { $0.contains("RUNNING") }, .signal(15)])
    let (status, _) = Self.run(session, backend)
    #expect(status == 128 + 15)
  }

  @Test func asciiTerminalsGetASCII() throws {
    let session = try Self.session()
    let backend = TestBackend(
      width: 100, height: 30, unicode: false,
      script: [.until("running") { $0.contains("RUNNING") }, .key(.character("q"))])
    _ = Self.run(session, backend)
    #expect(backend.frames.last?.cells.allSatisfy { $0.symbol.isASCII } == true)
  }
}

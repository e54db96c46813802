import Foundation
import SPNumerics
import SPTestSupport
import Testing

/// A training step allocates nothing, counted with a real malloc hook: the AllocationProbe
/// (Tests/AllocationProbe) trains every architecture of the registry with every optimiser for
/// a thousand steps after a warm-up, with ordo-one's malloc interposer preloaded, and prints
/// what the hook counted during those steps. The interposer replaces malloc only where it is
/// loaded before everything else (LD_PRELOAD), so the counting happens in that child process.
@Suite struct AllocationTests {
  /// Whether this test run is built with ThreadSanitizer or AddressSanitizer (`.ci/run`): their
  /// allocator stands in for malloc, and the interposer compiles its hooks out under them.
  static let sanitized: Bool = {
    let program = dlopen(nil, RTLD_NOW)
    let symbols: [String] = ["__tsan_init", "__asan_init"]
    return symbols.contains { dlsym(program, $0) != nil }
  }()

  /// The `key=value` fields of a probe line.
  static func fields(_ line: Substring) -> [String: Int] {
    var found: [String: Int] = [:]
    for field in line.split(separator: " ") {
      let parts = field.split(separator: "=")
      if parts.count == 2, let value = Int(parts[1]) { found[String(parts[0])] = value }
    }
    return found
  }

  @Test(.disabled(if: sanitized, "a sanitizer's allocator replaces malloc; nothing to hook"))
  func trainingStepsAllocateNothing() throws {
    let probe = try #require(Launch.built("AllocationProbe"), "built by swift build --build-tests")
    let library = try #require(
      Launch.built("libMallocInterposerSwift.so"), "built with the probe, which links it")
    var environment = ProcessInfo.processInfo.environment
    environment["LD_PRELOAD"] = library
    let r = Launch.runAndWait(
      [probe], environment: environment,
      signals: [Launch.Deadline(after: 300, signal: SIGKILL)])
    try #require(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    let cases = lines.filter { $0.hasPrefix("case ") }
    let expected = ArchitectureRegistry.entries.flatMap { entry in
      OptimizerKind.allCases.map { "case \(entry.name) \($0.rawValue)" }
    }
    #expect(cases.map { $0.split(separator: " ").prefix(3).joined(separator: " ") } == expected)
    for line in cases {
      let counted = Self.fields(line)
      #expect(counted["steps"] == 1000, "every step taken, none diverged: \(line)")
      #expect(counted["mallocs"] == 0, "\(line)")
    }
    // The hook counts: a step that allocates on purpose is seen allocating, once a step or more.
    let control = try #require(lines.first { $0.hasPrefix("control ") }, "\(r.stdout)")
    let counted = Self.fields(control)
    #expect(counted["steps"] == 1000)
    #expect((counted["mallocs"] ?? 0) >= 1000, "\(control)")
  }
}

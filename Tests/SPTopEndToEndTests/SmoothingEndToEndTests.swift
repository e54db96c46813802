import Foundation
import SPTestSupport
import Testing

/// `--smoothing W` on the dashboard, `replay` and `export`: refused in one line outside [0, 1),
/// and `export --svg` draws each model's smoothed a-priori curve over its raw one, faint
/// (recomputed with numpy from the figure's own coordinates).
@Suite(.timeLimit(.minutes(3))) struct SmoothingEndToEndTests {
  static let accepted = "a number in [0, 1) (0 or off: no smoothing; e.g. 0.6, 0.9, 0.99)"

  @Test func badWeightsAreRefusedInOneLine() async throws {
    for command in [
      [], ["replay", "/nonexistent.jsonl"], ["export", "/nonexistent.jsonl", "--svg", "/tmp"],
    ] {
      for bad in ["1", "-0.1", "1.5", "nan", "inf", "abc", "", "0.9x"] {
        let r = await ChildProcess.sptop(command + ["--smoothing", bad], interrupt: 20)
        #expect(r.status == 64, "\(command) \(bad): \(r.stderr)")
        #expect(
          r.stderr == "sptop: --smoothing: expected \(Self.accepted), got '\(bad)'\n",
          "\(command) \(bad)")
        #expect(r.stdout.isEmpty)
      }
    }
    // The configuration file's `smoothing` is the dashboard's flag, refused the same way.
    let folder = try TemporaryFolder("smoothing-config")
    defer { withExtendedLifetime(folder) {} }
    let config = folder.path + "/c.toml"
    for (setting, shown) in [("smoothing = 1.5", "1.5"), ("smoothing = \"much\"", "much")] {
      try (setting + "\n").write(toFile: config, atomically: false, encoding: .utf8)
      let r = await ChildProcess.sptop(["--config", config], interrupt: 20)
      #expect(r.status == 64, "\(setting): \(r.stderr)")
      #expect(
        r.stderr
          == "sptop: --smoothing: expected \(Self.accepted), got '\(shown)' (smoothing is set in "
          + "\(config))\n", "\(setting)")
    }
    let csv = await ChildProcess.sptop(
      ["export", "/nonexistent.jsonl", "--csv", "/tmp/x.csv", "--smoothing", "0.9"], interrupt: 20)
    #expect(csv.status == 64)
    #expect(csv.stderr == "sptop: --smoothing: smooths the --svg figures; give --svg DIR with it\n")
  }

  /// numpy: each model's smoothed path is the debiased moving average of its raw path's y
  /// coordinates (the y axis is affine in log10 of the value, and the weights of the average
  /// sum to 1, so averaging the logarithms is averaging the pixels), to the 0.01 pixel the
  /// figure writes; prints "ok MODELS POINTS".
  static let check = #"""
    import re, sys
    import numpy as np
    svg = open(sys.argv[1]).read(); w = float(sys.argv[2])
    def paths(cls):
        out = {}
        for m in re.finditer(r'<path class="%s"[^>]* data-name="([^"]*)" d="([^"]*)"' % cls, svg):
            parts = [p.strip()[1:] for p in re.split(r'(?=[ML])', m.group(2)) if p.strip()]
            out[m.group(1)] = np.array([[float(a) for a in p.split()] for p in parts])
        return out
    raw, smooth = paths("raw"), paths("series")
    assert raw and raw.keys() == smooth.keys(), (raw.keys(), smooth.keys())
    n = 0
    for name in raw:
        r, s = raw[name], smooth[name]
        assert r.shape == s.shape and (r[:, 0] == s[:, 0]).all(), name
        y = r[:, 1]
        want = np.array([((1 - w) * w ** np.arange(i, -1, -1)) @ y[: i + 1] / (1 - w ** (i + 1))
                         for i in range(len(y))])
        err = np.abs(want - s[:, 1]).max()
        assert err <= 0.011, (name, err)
        assert np.abs(y - s[:, 1]).max() > 1, (name, "not smoothed")
        n += len(y)
    print("ok", len(raw), n)
    """#

  @Test func exportDrawsTheSmoothedCurveOverTheRawOneFaint() throws {
    let folder = try TemporaryFolder("smoothing")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.path + "/s.jsonl"
    let run = try SPTopProcess.run(["run", "--iterations", "1500", "--record", log])
    #expect(run.status == 0, "\(run.stderr)")
    let r = try SPTopProcess.run(
      ["export", log, "--svg", folder.path + "/fig", "--smoothing", "0.9"])
    #expect(r.status == 0, "\(r.stderr)")
    let path = folder.path + "/fig/apriori-error.svg"
    let svg = try String(contentsOfFile: path, encoding: .utf8)
    // Three models: three raw paths, faint and thin, then three smoothed ones, in the legend.
    #expect(svg.components(separatedBy: "<path class=\"raw\" stroke-opacity=\"0.3\"").count == 4)
    #expect(svg.components(separatedBy: "<path class=\"series\"").count == 4)
    #expect(svg.contains(">smoothed: EMA 0.9 in log space</text>"))
    #expect(svg.contains(">raw values faint</text>"))
    let check = Launch.runAndWait(
      ["python3", "-c", Self.check, path, "0.9"], mergeStandardError: true)
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdout.hasPrefix("ok 3 "), "\(check.stdout)")
    // Without --smoothing the figure has no raw paths and no note.
    let plain = try SPTopProcess.run(["export", log, "--svg", folder.path + "/plain"])
    #expect(plain.status == 0, "\(plain.stderr)")
    let unsmoothed = try String(
      contentsOfFile: folder.path + "/plain/apriori-error.svg", encoding: .utf8)
    #expect(!unsmoothed.contains("class=\"raw\"") && !unsmoothed.contains("smoothed"))
    // The homogeneity figure (over λ, not over steps) is the same either way.
    #expect(
      try String(contentsOfFile: folder.path + "/fig/homogeneity.svg", encoding: .utf8)
        == String(contentsOfFile: folder.path + "/plain/homogeneity.svg", encoding: .utf8))
  }
}

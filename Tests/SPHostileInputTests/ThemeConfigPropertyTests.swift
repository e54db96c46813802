import Foundation
import PropertyBased
import SPDashboard
import SPTestSupport
import Testing

@testable import SPConfig

/// Random and mutated themes and configuration files through SPConfig's parsing and loading:
/// each one loads (with warnings of one line each) or is refused with one line; none traps or
/// takes long, and the number of warnings stays small however many unknown names a file has.
@Suite(.timeLimit(.minutes(3))) struct ThemeConfigPropertyTests {
  /// Checks what a load gave: one-line warnings, a bounded number of them, and a time bound.
  static func check(
    warnings: [ConfigWarning], started: Double, input: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for w in warnings {
      #expect(
        Hostile.isOneLine(w.message),
        "warning \(Hostile.show(w.message)) for \(Hostile.show(input))",
        sourceLocation: sourceLocation)
    }
    #expect(warnings.count <= 60, "\(warnings.count) warnings", sourceLocation: sourceLocation)
    #expect(
      Hostile.now() - started < 30, "took \(Hostile.now() - started) s for \(Hostile.show(input))",
      sourceLocation: sourceLocation)
  }

  @Test func themesLoadOrFailInOneLine() async {
    await propertyCheck(count: 400, input: Gen.int(in: 0...1023).array(of: 0...64)) { values in
      var c = Choices(values)
      let text = TOMLInputs.document(&c)
      let started = Hostile.now()
      var warnings: [ConfigWarning] = []
      do {
        let toml = try TOMLNode.parse(text, path: "t.toml")
        let document = try ThemeDocument(
          toml: toml, name: "t", origin: "t.toml", warnings: &warnings)
        // A theme that inherits starts from the built-in dark; resolving must not trap either.
        let merged =
          document.inherits == nil ? document : document.merged(over: ThemeDocument(.dark))
        _ = try merged.resolve()
      } catch let error as ConfigError {
        #expect(Hostile.isOneLine(error.message), "\(Hostile.show(error.message))")
        #expect(error.message.hasPrefix("t.toml"), "the file is named: \(error.message)")
      } catch {
        Issue.record("not a ConfigError: \(error)")
      }
      Self.check(warnings: warnings, started: started, input: text)
    }
  }

  @Test func configsLoadOrFailInOneLine() async {
    await propertyCheck(count: 400, input: Gen.int(in: 0...1023).array(of: 0...64)) { values in
      var c = Choices(values)
      let text = TOMLInputs.document(&c)
      let started = Hostile.now()
      do {
        let config = try ConfigFile.parse(
          text, path: "c.toml", knownKeys: TOMLInputs.configKeys)
        Self.check(warnings: config.warnings, started: started, input: text)
        // Every quit binding survives: the key map the dashboard gets can always quit.
        #expect(!config.keyMap.keys(for: .quit).isEmpty)
      } catch let error as ConfigError {
        #expect(Hostile.isOneLine(error.message), "\(Hostile.show(error.message))")
        #expect(Hostile.now() - started < 30)
      } catch {
        Issue.record("not a ConfigError: \(error)")
      }
    }
  }

  /// Three mutated files that inherit from one another (and from the built-in dark), written as
  /// raw bytes (invalid UTF-8 included), loaded through a catalog as `--theme` would.
  @Test func catalogsOfMutatedFilesLoadOrFailInOneLine() async throws {
    let folder = try TemporaryFolder("hostile-themes")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.url("themes")
    await propertyCheck(count: 150, input: Gen.int(in: 0...1023).array(of: 0...96)) { values in
      var c = Choices(values)
      try? FileManager.default.removeItem(at: dir)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let names = ["a", "b", "c"]
      var written: [String] = []
      for name in names {
        let parent = c.pick(names + ["dark", "nope", "./a.toml", "../x.toml", ""])
        let text = "inherits = \(TOMLInputs.quoted(parent))\n" + TOMLInputs.document(&c)
        let bytes = TOMLInputs.bytes(text, &c)
        try Data(bytes).write(to: dir.appendingPathComponent("\(name).toml"))
        written.append(Hostile.show(String(decoding: bytes, as: UTF8.self)))
      }
      let catalog = ThemeCatalog(directories: [(.user, dir)])
      for name in names + ["dark", dir.appendingPathComponent("a.toml").path] {
        let started = Hostile.now()
        do {
          let loaded = try catalog.load(name)
          Self.check(warnings: loaded.warnings, started: started, input: written.joined())
        } catch let error as ConfigError {
          #expect(Hostile.isOneLine(error.message), "\(Hostile.show(error.message))")
          #expect(Hostile.now() - started < 30)
        } catch {
          Issue.record("not a ConfigError: \(error)")
        }
      }
    }
  }

  /// The issue's extreme: a theme of a million keys (about 20 MB) is refused at once by size,
  /// and a theme filled to the size limit with unknown roles loads with a dozen warnings.
  @Test func aMillionKeysIsRefusedAndAFullFileStaysCheap() throws {
    let folder = try TemporaryFolder("hostile-big")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.url
    var text = "inherits = \"dark\"\n[roles]\n"
    text.reserveCapacity(21_000_000)
    for i in 0..<1_000_000 { text += "k\(i) = \"#ff0000\"\n" }
    let huge = dir.appendingPathComponent("huge.toml")
    try text.write(to: huge, atomically: false, encoding: .utf8)
    var started = Hostile.now()
    #expect(throws: ConfigError.self) { _ = try TOMLNode.load(path: huge.path) }
    do {
      _ = try TOMLNode.load(path: huge.path)
    } catch {
      #expect(
        error.message
          == "\(huge.path): larger than 1 MiB, the limit of a theme or configuration file")
    }
    #expect(Hostile.now() - started < 30)

    // As many unknown roles as fit in the limit: ten listed, the rest counted in one line.
    var full = "inherits = \"dark\"\n[roles]\n"
    var count = 0
    while full.utf8.count < TOMLNode.maximumFileBytes - 16 {
      full += "k\(count)=1\n"
      count += 1
    }
    let fullURL = dir.appendingPathComponent("full.toml")
    try full.write(to: fullURL, atomically: false, encoding: .utf8)
    started = Hostile.now()
    let catalog = ThemeCatalog(directories: [(.user, dir)])
    let loaded = try catalog.load("full")
    #expect(loaded.warnings.count == ConfigWarning.listedUnknowns + 1)
    #expect(
      loaded.warnings.last?.message
        == "\(fullURL.path): \(count - ConfigWarning.listedUnknowns) more unknown roles (not listed)"
    )
    #expect(Hostile.now() - started < 60, "\(count) keys took \(Hostile.now() - started) s")

    // A configuration whose quit list holds as many keys as fit: bounded time too.
    var keys = "[keys]\nquit = ["
    while keys.utf8.count < TOMLNode.maximumFileBytes - 16 { keys += "\"x\"," }
    keys += "\"q\"]\n"
    let configURL = dir.appendingPathComponent("config.toml")
    try keys.write(to: configURL, atomically: false, encoding: .utf8)
    started = Hostile.now()
    let config = try ConfigFile.load(path: configURL.path, knownKeys: TOMLInputs.configKeys)
    #expect(config.keyMap.keys(for: .quit).count == 2)
    #expect(Hostile.now() - started < 60)
  }
}

/// Found by `themesLoadOrFailInOneLine`: a table header starting with a character no key can
/// start with made toml++ (inside TOMLKit) fail an assertion and abort sptop.
@Suite struct TOMLHeaderRegressionTests {
  @Test(arguments: [
    "[é]", "[=]", "[.]", "[ @]", "[[$]]", "[a]\n[\u{1F600}]", "[\n", "x = 1\n[[[",
    // Found by the same property later: a '}' where an array expects a value.
    "a = [}]", "a = [1, }]", "a = [ }", "a = {b=[}]}", "a = [[}]]",
    "fallback = [}\"#81a1c1\", \"#b48ead\"]= 1\n",
    // And (CI, a later run): bare values toml++ takes for a date, time or number and asserts on
    // inside that parser; sptop reads no dates or times, so every non-number is refused first.
    "a = 1979-05-27T", "a = 12:3.", "a = 1:2.3", "a = [1979-05-27 07:32:00]", "a = { b = 07:32 }",
    "a = 1__2", "a = 0x", "a = +", "a = 1e", "a = nope", "a = 1979-05-27",
  ])
  func aBadTableNameIsAnErrorNotAnAbort(text: String) {
    #expect(throws: ConfigError.self) { _ = try TOMLNode.parse(text, path: "h.toml") }
  }

  /// Every bare value TOML allows for a boolean, integer or float still reads.
  @Test func everyTOMLNumberAndBooleanStillReads() throws {
    let values = [
      "true", "false", "0", "+17", "-42", "1_000", "0xDEAD_beef", "0o755", "0b1101", "3.14",
      "-0.01", "5e+22", "1e06", "-2E-2", "6.626e-34", "224_617.445_991", "inf", "+inf", "-nan",
      "nan", "9223372036854775807",
    ]
    for v in values {
      #expect(TOMLNode.isBareValue(v), "\(v)")
      let toml = try TOMLNode.parse(
        "a = \(v)\nb = [\(v), \(v)]\nc = { d = \(v) }\n", path: "v.toml")
      #expect(toml["a"] != nil, "\(v)")
    }
    for bad in [
      "01", "1__2", "_1", "1_", "0x", "1.", ".5", "1e", "+", "True", "1979-05-27", "07:32",
    ] {
      #expect(!TOMLNode.isBareValue(bad), "\(bad)")
    }
  }

  @Test func headersInsideStringsAndArraysAreNotHeaders() throws {
    let text = "a = \"\"\"\n[é]\n\"\"\"\nb = '''\n[=]'''\nc = [\n  [1, 2],\n  [ \"x\" ],\n]\n[ok]\n"
    let toml = try TOMLNode.parse(text, path: "h.toml")
    #expect(toml["a"] == .string("[é]\n"))
    #expect(toml["ok"] == .table([:]))
  }
}

/// Found by `themesLoadOrFailInOneLine`: a value, key or role written with a TOML escape for a
/// control character (`"pola\r3"`) came back verbatim in the message, which then spanned two
/// lines (or, with `\r`, overwrote its own start on a terminal).
@Suite struct ControlCharacterMessageTests {
  @Test(arguments: [
    "[roles]\naxis = \"pola\\r3\"\n", "[roles]\naxis = \"a\\nb\"\n",
    "[roles]\n\"ax\\nis\" = \"polar3\"\n",
    "[palette]\n\"p\\u0085\" = \"#zz\"\n[roles]\naxis = \"p\\u0085\"\n",
    "[series]\nfallback = [\"x\\u2028y\"]\n", "[roles]\naxis = { fg = \"\\u001b[31m\" }\n",
  ])
  func controlCharactersInAThemeAreEscapedInItsMessages(text: String) {
    var warnings: [ConfigWarning] = []
    var messages: [String] = []
    do {
      let toml = try TOMLNode.parse(text, path: "t.toml")
      _ = try ThemeDocument(toml: toml, name: "t", origin: "t.toml", warnings: &warnings)
        .merged(over: ThemeDocument(.dark)).resolve()
    } catch {
      messages.append(error.message)
    }
    messages += warnings.map(\.message)
    #expect(!messages.isEmpty, "the file has something wrong to report")
    for message in messages {
      #expect(Hostile.isOneLine(message), "\(Hostile.show(message))")
      #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
      #expect(message.hasPrefix("t.toml"))
    }
  }

  @Test func theShrunkCaseNamesTheValueWithItsEscape() {
    do {
      let toml = try TOMLNode.parse("[roles]\naxis = \"pola\\r3\"\n", path: "t.toml")
      var warnings: [ConfigWarning] = []
      _ = try ThemeDocument(toml: toml, name: "t", origin: "t.toml", warnings: &warnings)
        .merged(over: ThemeDocument(.dark)).resolve()
      Issue.record("a colour with a carriage return was accepted")
    } catch {
      #expect(error.message.contains("'pola\\r3'"), "\(error.message)")
    }
  }
}

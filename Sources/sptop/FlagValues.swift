import ArgumentParser
import SPCurses
import SPEngine
import SPNumerics

/// A closed set a flag takes its value from: an enum whose raw values are the words of the
/// command line. `--help` lists them (`allValueStrings`), and a word outside the set is refused
/// in one line that names the flag and lists the set (`refusal`).
protocol FlagValue: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {
  /// What one value is called: "unknown optimiser 'rmsprop'; known: sgd, momentum, adam".
  static var noun: String { get }
  /// Why `text` is refused, after the flag's name.
  static func refusal(_ text: String) -> String
}

extension FlagValue {
  static func refusal(_ text: String) -> String {
    "unknown \(noun) '\(text)'; known: \(allValueStrings.joined(separator: ", "))"
  }
}

extension OptimizerKind: FlagValue { static let noun = "optimiser" }
extension InitScheme: FlagValue { static let noun = "scheme" }
extension TargetKind: FlagValue { static let noun = "target" }
extension ArchitectureName: FlagValue { static let noun = "model" }

extension ColorMode: FlagValue {
  static let noun = "colour mode"
  /// "must be auto, always or never, got 'x'": the words from the enum.
  static func refusal(_ text: String) -> String {
    let words = allValueStrings
    let list = words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
    return "must be \(list), got '\(text)'"
  }
}

/// The word given to a flag whose values are `Value`'s: kept as given, and read with
/// `value(flag:)` when the command validates its flags, so a word outside the set is refused in
/// sptop's words — ArgumentParser's own refusal of a bad value reads differently and lists six
/// or more values over several lines. `--help` lists `Value`'s words.
struct Choice<Value: FlagValue>: ExpressibleByArgument {
  var text: String

  init(argument: String) { text = argument }
  init(_ value: Value) { text = value.rawValue }

  static var allValueStrings: [String] { Value.allValueStrings }
  var defaultValueDescription: String { text }

  /// The value, or the one-line refusal naming `flag`: "--init: unknown scheme 'xavier'; …".
  func value(flag: String) throws(ValidationError) -> Value {
    guard let value = Value(argument: text) else {
      throw ValidationError("\(flag): \(Value.refusal(text))")
    }
    return value
  }
}

extension Setting {
  /// The flag that gives this setting on the command line.
  var flag: String {
    switch self {
    case .penaltyWeight: "--penalty-weight"
    default: "--" + rawValue
    }
  }
}

extension SettingsError {
  /// The one-line refusal as the command line says it: "--eta: must be a finite number > 0, …".
  var flagMessage: String { message(naming: \.flag) }
}

/// The items of the comma list `text` given to `flag`, or the one-line refusal naming it.
func commaList(_ text: String, flag: String) throws(ValidationError) -> [String] {
  do {
    return try CommaList.items(text)
  } catch {
    throw ValidationError("\(flag): \(error)")
  }
}

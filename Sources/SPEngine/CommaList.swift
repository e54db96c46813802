/// A comma-separated list from a flag or a setting (`--models a,b`, `--sizes 5,10`): items are
/// trimmed, and an empty one (`5,,10`, a comma at either end, nothing at all) is refused, not
/// skipped — a list that silently loses an item runs something else than was asked.
public enum CommaList {
  /// The items of `text`, or why it is not a list: "--sizes: item 2 of '5,,10' is empty".
  public static func items(_ text: String, flag: String) throws(SettingsError) -> [String] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0).trimmingCharacters(in: .whitespaces)
    }
    if items == [""] { throw SettingsError.invalid("\(flag): the list is empty") }
    if let k = items.firstIndex(of: "") {
      throw SettingsError.invalid(
        "\(flag): item \(k + 1) of '\(text)' is empty (two commas together, or one at an end)")
    }
    return items
  }
}

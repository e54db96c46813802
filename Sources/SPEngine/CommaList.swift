/// A comma-separated list from a flag or a setting (`--models a,b`, `--sizes 5,10`): items are
/// trimmed, and an empty one (`5,,10`, a comma at either end, nothing at all) is refused, not
/// skipped — a list that silently loses an item runs something else than was asked.
public enum CommaList {
  /// Why a text is not a list; the caller names where it came from ("--sizes: …").
  public enum Refusal: Error, Equatable, CustomStringConvertible {
    case empty
    /// Item `position` (from 1) of `text` is empty.
    case emptyItem(position: Int, text: String)

    public var description: String {
      switch self {
      case .empty: "the list is empty"
      case .emptyItem(let k, let text):
        "item \(k) of '\(text)' is empty (two commas together, or one at an end)"
      }
    }
  }

  /// The items of `text`, or why it is not a list: "item 2 of '5,,10' is empty (…)".
  public static func items(_ text: String) throws(Refusal) -> [String] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0).trimmingCharacters(in: .whitespaces)
    }
    if items == [""] { throw .empty }
    if let k = items.firstIndex(of: "") { throw .emptyItem(position: k + 1, text: text) }
    return items
  }
}

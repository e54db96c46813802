/// Plain-ASCII spellings for the few non-ASCII symbols the dashboard writes, used when the locale
/// is not UTF-8 (the terminal could not show them).
public enum ASCIIText {
  static let replacements: [Unicode.Scalar: String] = [
    "η": "eta", "λ": "lambda", "×": "x", "÷": "/", "≤": "<=", "▶": ">", "·": "-", "…": "...",
    "→": "->", "←": "<-", "↑": "^", "↓": "v", "—": "-", "●": "*", "√": "sqrt ", "σ": "s",
    "‖": "|", "−": "-", "✓": "+", "✗": "X", "ε": "eps", "∈": "in", "Σ": "sum", "ᵢ": "_i",
    "²": "^2", "•": "*", "≥": ">=", "⟨": "<", "⟩": ">",
    "▲": "^", "▼": "v", "–": "-",
  ]

  /// `s` with every non-ASCII scalar spelled in ASCII ("?" for one without a spelling).
  public static func transliterate(_ s: String) -> String {
    guard !s.unicodeScalars.allSatisfy(\.isASCII) else { return s }
    var out = ""
    out.reserveCapacity(s.unicodeScalars.count + 8)
    for scalar in s.unicodeScalars {
      if scalar.isASCII {
        out.unicodeScalars.append(scalar)
      } else {
        out += replacements[scalar] ?? "?"
      }
    }
    return out
  }
}

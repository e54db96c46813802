/// Messages for people are one line each: text echoed from a file, a flag or a path (a colour
/// name with a carriage return in it, a file name with a newline) is shown with its control
/// characters escaped, so it can neither break the line nor move the cursor.
public enum OneLine {
  /// `text` with every control character written out: `\n`, `\r`, `\t`, and `\u{XX}` for the
  /// rest of C0 and C1, DEL and the Unicode line and paragraph separators.
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else {
        out.append(scalar)
        continue
      }
      let written: String =
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
      out.append(contentsOf: written.unicodeScalars)
    }
    return String(out)
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
      || scalar.value == 0x2029
  }
}

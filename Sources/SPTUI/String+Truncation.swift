extension String {
  /// This text cut to at most `width` cells (one scalar a cell); when cut, its last cell is
  /// `ellipsis`. Empty for a width of 0 or less.
  public func truncated(to width: Int, ellipsis: Unicode.Scalar) -> String {
    guard width > 0 else { return "" }
    let scalars = unicodeScalars
    var count = 0
    var index = scalars.startIndex
    while index != scalars.endIndex {
      if count == width - 1 {
        // One cell left: keep the rest only if it is exactly one scalar.
        let next = scalars.index(after: index)
        if next == scalars.endIndex { return self }
        var out = String(scalars[scalars.startIndex..<index])
        out.unicodeScalars.append(ellipsis)
        return out
      }
      count += 1
      index = scalars.index(after: index)
    }
    return self
  }
}

extension String {
  /// Like `truncated(to:ellipsis:)`, but a trailing `#N` suffix (the lineup's `vanilla#2`) stays
  /// whole and the cut falls before it, so two cut names stay distinct: "penalized-scaled#2" in
  /// 10 cells is "penalize…#2". Without such a suffix, or when the suffix alone does not leave
  /// room for one letter and the ellipsis, it cuts at the end.
  public func truncatedKeepingSuffix(to width: Int, ellipsis: Unicode.Scalar) -> String {
    let scalars = Array(unicodeScalars)
    guard scalars.count > width, let hash = scalars.lastIndex(of: "#"), hash > 0,
      hash + 1 < scalars.count, scalars[(hash + 1)...].allSatisfy({ ("0"..."9").contains($0) })
    else { return truncated(to: width, ellipsis: ellipsis) }
    let suffix = scalars.count - hash
    guard width - suffix >= 2 else { return truncated(to: width, ellipsis: ellipsis) }
    var out = String.UnicodeScalarView(scalars[0..<(width - suffix - 1)])
    out.append(ellipsis)
    out.append(contentsOf: scalars[hash...])
    return String(out)
  }
}

extension String {
  /// This text in at most `width` cells, cut in the middle when longer: its start, `ellipsis`,
  /// and its end (a file name keeps its extension): "sptop-2026…130501.jsonl".
  public func truncatedInTheMiddle(to width: Int, ellipsis: Unicode.Scalar) -> String {
    let scalars = Array(unicodeScalars)
    guard scalars.count > width else { return self }
    guard width >= 3 else { return truncated(to: width, ellipsis: ellipsis) }
    let tail = (width - 1) / 2
    let head = width - 1 - tail
    var out = String.UnicodeScalarView(scalars[0..<head])
    out.append(ellipsis)
    out.append(contentsOf: scalars[(scalars.count - tail)...])
    return String(out)
  }
}

/// The named parts of a flat parameter vector: one vector for the optimiser, names for people.
///
/// Matrices are stored row by row (row-major); `B1[i][j]` is at `offset + i * columns + j`.
public struct ParameterLayout: Hashable, Sendable {
  /// One named part: a matrix (rows × columns) or a vector (columns == 1, isVector).
  public struct Part: Hashable, Sendable {
    public let name: String
    public let rows: Int
    public let columns: Int
    public let offset: Int
    public let isVector: Bool
    public var count: Int { rows * columns }
    public var range: Range<Int> { offset..<(offset + count) }
  }

  public let parts: [Part]
  public let count: Int

  /// Builds a layout from (name, rows, columns) triples; `columns == nil` makes a vector.
  public init(_ shapes: [(name: String, rows: Int, columns: Int?)]) {
    var parts: [Part] = []
    var offset = 0
    for s in shapes {
      let c = s.columns ?? 1
      parts.append(
        Part(name: s.name, rows: s.rows, columns: c, offset: offset, isVector: s.columns == nil))
      offset += s.rows * c
    }
    self.parts = parts
    self.count = offset
  }

  public func part(named name: String) -> Part? { parts.first { $0.name == name } }

  /// The offset of a part that the architecture knows is there.
  public func offset(of name: String) -> Int {
    guard let p = part(named: name) else { preconditionFailure("no parameter part \(name)") }
    return p.offset
  }

  /// The parts of `values` by name: matrices as arrays of rows, vectors as one-row arrays.
  public func named(_ values: [Double]) -> [(name: String, value: [[Double]])] {
    parts.map { p in
      if p.isVector { return (p.name, [Array(values[p.range])]) }
      let rows = (0..<p.rows).map { i in
        Array(values[(p.offset + i * p.columns)..<(p.offset + (i + 1) * p.columns)])
      }
      return (p.name, rows)
    }
  }
}

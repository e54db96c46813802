import SPNumerics

/// The models of a session, in order, as the lineup events (`addModel`, `removeModel`,
/// `replaceModel`) change it: each model's number, label and architecture. One value type for
/// the live session, the log reader (which checks every record against the lineup of its
/// moment), `verify`, `replay` and `export`, so they all number and name models alike.
///
/// A model's number (`id`, the `index` of its log records) never changes and is never reused:
/// the initial lineup is numbered 0, 1, …, and each added model takes the next unused number
/// (so a log without lineup events numbers models by position, as format version 1 did). A
/// model's label is its architecture's name, with `#k` (k ≥ 2) for the smallest k not taken by
/// another model of the lineup; a replaced model keeps its number and takes a new label.
public struct Lineup: Sendable, Hashable {
  public struct Entry: Sendable, Hashable {
    public var id: Int
    public var label: String
    public var architecture: String

    public init(id: Int, label: String, architecture: String) {
      self.id = id
      self.label = label
      self.architecture = architecture
    }
  }

  /// What one lineup event did.
  public enum Change: Sendable, Hashable {
    case added(Entry)
    case removed(position: Int, Entry)
    case replaced(position: Int, old: Entry, new: Entry)
  }

  public private(set) var entries: [Entry]
  /// The number the next added model takes.
  public private(set) var nextID: Int

  /// The initial lineup of a session: `architectures` numbered 0, 1, … in order.
  public init(architectures: [String]) {
    entries = []
    nextID = 0
    for name in architectures { append(name) }
  }

  /// A lineup as recorded (a log header's), with the number the next added model takes.
  public init(entries: [Entry], nextID: Int) {
    self.entries = entries
    self.nextID = nextID
  }

  public var count: Int { entries.count }

  /// The position of model number `id`, or nil when it is not in the lineup.
  public func position(of id: Int) -> Int? { entries.firstIndex { $0.id == id } }

  /// `architecture`'s name, or `name#k` with the smallest k ≥ 2 that no label in `taken` has.
  public static func label(for architecture: String, taken: [String]) -> String {
    let used = Set(taken)
    if !used.contains(architecture) { return architecture }
    var k = 2
    while used.contains("\(architecture)#\(k)") { k += 1 }
    return "\(architecture)#\(k)"
  }

  @discardableResult
  private mutating func append(_ architecture: String) -> Entry {
    let entry = Entry(
      id: nextID, label: Self.label(for: architecture, taken: entries.map(\.label)),
      architecture: architecture)
    entries.append(entry)
    nextID += 1
    return entry
  }

  /// Why `event` cannot act on this lineup (no model at that position, the last model, an
  /// architecture sptop does not know), or nil when it can; nil too for events that leave the
  /// lineup alone.
  public func refusal(_ event: SessionEvent) -> String? {
    func known(_ name: String) -> String? {
      ArchitectureRegistry.entry(named: name) == nil
        ? "no architecture named '\(name)'; known: "
          + ArchitectureRegistry.names.joined(separator: ", ")
        : nil
    }
    func exists(_ i: Int) -> String? {
      entries.indices.contains(i) ? nil : "no model \(i) (the lineup has \(entries.count))"
    }
    switch event {
    case .addModel(let name): return known(name)
    case .removeModel(let i):
      return exists(i) ?? (entries.count == 1 ? "the last model cannot be removed" : nil)
    case .replaceModel(let i, let name): return exists(i) ?? known(name)
    default: return nil
    }
  }

  /// Applies a lineup event; nil (and no change) when `refusal` refuses it or it is not a
  /// lineup event.
  public mutating func apply(_ event: SessionEvent) -> Change? {
    guard event.changesLineup, refusal(event) == nil else { return nil }
    switch event {
    case .addModel(let name):
      return .added(append(name))
    case .removeModel(let i):
      return .removed(position: i, entries.remove(at: i))
    case .replaceModel(let i, let name):
      let old = entries[i]
      let others = entries.indices.filter { $0 != i }.map { entries[$0].label }
      entries[i] = Entry(
        id: old.id, label: Self.label(for: name, taken: others), architecture: name)
      return .replaced(position: i, old: old, new: entries[i])
    default:
      return nil
    }
  }
}

import Foundation

/// A sweep: the `[base]` flags of `sptop run` and the `[grid]` axes whose product is the list of
/// configurations. Each configuration is an ensemble (its `seeds`), recorded to its own log.
/// Configuration k (1-based) takes each axis's values in mixed radix, the last axis fastest.
public struct SweepPlan: Codable, Sendable, Equatable {
  /// One swept flag and its values, as the command line would give them.
  public struct Axis: Codable, Sendable, Equatable {
    public var name: String
    public var values: [String]
    public init(name: String, values: [String]) {
      self.name = name
      self.values = values
    }
  }

  /// The flags a spec may hold, in the order a configuration's flags are listed.
  public static let keys = [
    "models", "n", "seeds", "iterations", "eta", "batch", "optimizer", "penalty-weight", "init",
    "target", "width", "log-every", "eval-every",
  ]

  /// The most configurations a sweep runs without `--yes`.
  public static let confirmLimit = 100_000

  /// `[base]`: flag long name → value.
  public var base: [String: String]
  /// `[grid]`, in the order of `keys`.
  public var axes: [Axis]

  public init(base: [String: String], axes: [Axis]) {
    self.base = base
    self.axes = axes.sorted {
      (Self.keys.firstIndex(of: $0.name) ?? .max) < (Self.keys.firstIndex(of: $1.name) ?? .max)
    }
  }

  /// Configurations: the product of the axes' lengths (1 without axes), saturating at Int.max.
  public var count: Int {
    axes.reduce(1) { product, axis in
      let (p, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
      return overflow ? .max : p
    }
  }

  /// Each axis's value in configuration `index` (1-based).
  public func values(_ index: Int) -> [String] {
    var rest = index - 1
    var out = Array(repeating: "", count: axes.count)
    for a in axes.indices.reversed() {
      let k = axes[a].values.count
      out[a] = axes[a].values[rest % k]
      rest /= k
    }
    return out
  }

  /// The flags of configuration `index` (1-based): `[base]` and its axis values, in the order
  /// of `keys`, as (long name, value).
  public func flags(_ index: Int) -> [(name: String, value: String)] {
    var all = base
    for (axis, value) in zip(axes, values(index)) { all[axis.name] = value }
    return Self.keys.compactMap { k in all[k].map { (k, $0) } }
  }

  /// The command-line arguments of configuration `index`: `--name value` for each flag.
  public func arguments(_ index: Int) -> [String] {
    flags(index).flatMap { ["--\($0.name)", $0.value] }
  }

  /// The log of configuration `index` inside the sweep's `logs` folder: `config-0007.jsonl`
  /// (at least four digits, as many as the largest index needs).
  public func logName(_ index: Int) -> String {
    let digits = max(4, String(count).count)
    let number = String(index)
    return "config-" + String(repeating: "0", count: max(0, digits - number.count)) + number
      + ".jsonl"
  }

  /// `flag=value` for each axis of configuration `index`: how messages name it.
  public func label(_ index: Int) -> String {
    zip(axes, values(index)).map { "\($0.name)=\($1)" }.joined(separator: " ")
  }
}

/// `--shard I/N`: the configurations k with (k − 1) mod N = I − 1 — a split any batch system can
/// run, each shard knowing its part from I and N alone.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  public static let limit = 100_000

  /// Parses `I/N` (1 ≤ I ≤ N ≤ 100,000); the error says what is accepted.
  public init(_ text: String) throws(SweepError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw SweepError(
        "--shard: '\(OneLine.escaped(text))' is not I/N; write the shard's number and the "
          + "number of shards, such as 3/8")
    }
    guard (1...Self.limit).contains(n) else {
      throw SweepError("--shard: \(text): the number of shards must be 1…\(Self.limit)")
    }
    guard (1...n).contains(i) else {
      throw SweepError("--shard: \(text): the shard's number must be 1…\(n)")
    }
    index = i
    count = n
  }

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Whether configuration `k` (1-based) belongs to this shard.
  public func contains(_ k: Int) -> Bool { (k - 1) % count == index - 1 }

  /// The shard of `count` shards that configuration `k` belongs to.
  public static func of(_ k: Int, shards count: Int) -> SweepShard {
    SweepShard(index: (k - 1) % count + 1, count: count)
  }

  public var description: String { "\(index)/\(count)" }
}

/// A sweep's one-line failure (what, where, what is accepted).
public struct SweepError: Error, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ message: String) { description = message }
}

/// The sweep folder's record of its plan (`sweep.json`): which spec made it and how it was
/// split, so a rerun can tell its own folder from another sweep's.
public struct SweepRecord: Codable, Sendable, Equatable {
  public var format = "sptop-sweep"
  public var version = 1
  /// The spec's absolute path when the folder was made (for the commands `collect` prints).
  public var spec: String
  public var plan: SweepPlan
  public var configurations: Int
  /// The number of shards of the last `--shard` or `--slurm` run, if any.
  public var shards: Int?

  public init(spec: String, plan: SweepPlan, shards: Int? = nil) {
    self.spec = spec
    self.plan = plan
    configurations = plan.count
    self.shards = shards
  }
}

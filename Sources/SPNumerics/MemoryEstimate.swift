/// The memory check before anything is allocated: what one model holds, from its registry entry.
extension ArchitectureEntry {
  /// Bytes a `Trainer` of this architecture holds at `config`'s sizes, with batches of `batch`
  /// doubles per column, stepping with `optimizer` toward `target`: its parameters × (θ,
  /// gradient, the optimiser's state), the architecture's workspace for the larger of the batch
  /// and the probe, and the trainer's own buffers (a batch's inputs and targets, the target's
  /// workspace, the probe's inputs and outputs in Double and in Float80). Nil when the sizes are
  /// not positive or too large to even count.
  ///
  /// Every architecture's sizes are at most a small multiple of n², w², n·m and w·m (m the
  /// columns): the counts are only asked of it once those are known to fit a hundredth of an
  /// Int, so its own `layout.count` and `workspaceSize(batch:)` cannot overflow.
  public func estimatedBytes(
    _ config: ArchitectureConfig, batch: Int, optimizer: OptimizerKind, target: TargetKind
  ) -> UInt64? {
    guard config.n > 0, config.width > 0, batch > 0 else { return nil }
    let probe = ModelDiagnostics.probeColumns(lambdaCount: Problem.defaultLambdaCount)
    let k = UInt64(max(config.n, config.width))
    let m = UInt64(max(batch, probe))
    let (kk, o1) = k.multipliedReportingOverflow(by: k)
    let (km, o2) = k.multipliedReportingOverflow(by: m)
    let countable = UInt64(Int.max / 128)
    guard !o1, !o2, kk <= countable, km <= countable else { return nil }
    let architecture = make(config)
    let n = config.n
    let parameters = architecture.layout.count
    let state = optimizer.make(eta: 1).stateSize(parameterCount: parameters)
    let workspace = max(
      architecture.workspaceSize(batch: batch), architecture.workspaceSize(batch: probe))
    let inputs = 2 * n * batch + Problem.workspaceSize(target, n: n, batch: batch)
    let probes = 2 * n * probe + 2 * n
    let doubles = 2 * parameters + state + workspace + inputs + probes
    let extended = 2 * n * probe
    let (bytes, o3) = (UInt64(doubles) * 8).addingReportingOverflow(
      UInt64(extended) * UInt64(MemoryLayout<Float80>.stride))
    return o3 ? nil : bytes
  }
}

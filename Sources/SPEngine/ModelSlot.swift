import SPNumerics

/// One model of a session: its trainer (architecture, parameters, optimiser and its state, the
/// model's own random stream) and everything the session keeps of it — histories, η changes,
/// resets, the last diagnostics, timing and the waterfall. A slot is replaced, added or removed
/// whole, between chunks of steps.
struct ModelSlot {
  var label: String
  let trainer: Trainer
  var lossHistory = History()
  var aprioriHistory = History()
  /// Session steps at which the model was reset (or replaced).
  var resets: [Int] = []
  /// Session steps at which η changed.
  var etaChanges: [Int] = []
  /// The a-priori error at the model's (last) initialisation.
  var initialApriori: Double
  /// Every diagnostic at the last structure refresh.
  var diagnostics: ModelDiagnostics
  /// The structure metrics shown: the last refresh's, or a newer evaluation record's.
  var structure: StructureMetrics
  /// Wall seconds and steps spent in this model's own steps.
  var seconds = 0.0
  var steps = 0
  /// The homogeneity curve over λ as training went on (bounded; oldest first).
  var waterfall: [WaterfallRow] = []

  /// A fresh slot for `trainer`, its history starting at session step `step`.
  init(label: String, trainer: Trainer, step: Int) {
    self.label = label
    self.trainer = trainer
    initialApriori = trainer.lastAprioriError
    diagnostics = trainer.diagnostics()
    structure = diagnostics.structure
    aprioriHistory.append(iteration: step, value: trainer.lastAprioriError)
  }
}

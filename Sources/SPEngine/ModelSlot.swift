import SPNumerics

/// One model of a session: its trainer (architecture, parameters, optimiser and its state, the
/// model's own random stream) and everything the session keeps of it — histories, η changes,
/// resets, the last diagnostics, timing and the waterfall. A slot is replaced, added or removed
/// whole, between chunks of steps.
struct ModelSlot {
  /// The model's number in the session (`Lineup.Entry.id`): its log records' `index`.
  let id: Int
  var label: String
  var trainer: Trainer
  /// What the model trains with (the session's settings until changed).
  var settings: ModelSettings
  /// Where its settings changed.
  var settingChanges: [SettingChange] = []
  /// Where the session's target or n changed while it was in the lineup (it restarted there).
  var problemChanges: [ProblemChange] = []
  var lossHistory = History()
  var aprioriHistory = History()
  /// Session steps at which the model was reset (or replaced).
  var resets: [Int] = []
  /// Session steps at which η changed.
  var etaChanges: [Int] = []
  /// Where the model was replaced by another architecture.
  var switches: [ArchitectureSwitch] = []
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
  init(id: Int, label: String, trainer: Trainer, settings: ModelSettings, step: Int) {
    self.id = id
    self.settings = settings
    self.label = label
    self.trainer = trainer
    initialApriori = trainer.lastAprioriError
    diagnostics = trainer.diagnostics()
    structure = diagnostics.structure
    aprioriHistory.append(iteration: step, value: trainer.lastAprioriError)
  }

  /// Puts `trainer` (a fresh model of another architecture) in the slot at session step
  /// `step`: the histories go on with a reset marker and a switch; what described the old
  /// model (diagnostics, speed, waterfall) starts again.
  mutating func replace(with trainer: Trainer, label: String, step: Int) {
    switches.append(
      ArchitectureSwitch(
        step: step, from: self.trainer.architecture.name, to: trainer.architecture.name))
    self.label = label
    restart(with: trainer, step: step)
  }

  /// Puts `trainer` (fresh parameters) in the slot at session step `step`, with a reset marker.
  mutating func restart(with trainer: Trainer, step: Int) {
    self.trainer = trainer
    resets.append(step)
    initialApriori = trainer.lastAprioriError
    diagnostics = trainer.diagnostics()
    structure = diagnostics.structure
    aprioriHistory.append(iteration: step, value: trainer.lastAprioriError)
    seconds = 0
    steps = 0
    waterfall = []
  }
}

/// A model replaced by another architecture at session step `step`.
public struct ArchitectureSwitch: Sendable, Hashable, Codable {
  public var step: Int
  public var from: String
  public var to: String

  public init(step: Int, from: String, to: String) {
    self.step = step
    self.from = from
    self.to = to
  }
}

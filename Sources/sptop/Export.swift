import ArgumentParser
import Foundation
import SPEngine

/// `sptop export LOG --csv OUT --svg DIR`: a tidy CSV and the seed's two figures.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a session log as a tidy CSV and/or SVG figures.")

  @Argument(help: "The session log (JSON Lines).")
  var log: String

  @Option(help: "Write a tidy CSV here: one row per model and logged step.")
  var csv: String?

  @Option(
    help: "Write apriori-error.svg and homogeneity.svg into this folder (created if missing).")
  var svg: String?

  @Option(
    help: ArgumentHelp(
      "Write the session's events as a CSV here: one row per user action (η changes, "
        + "resets, switches, additions, removals, setting changes, target and n changes, "
        + "pauses, …)."))
  var events: String?

  @OptionGroup var smoothing: SmoothingOption

  @OptionGroup var range: RangeOption

  @Flag(help: "Overwrite existing files.")
  var force = false

  func validate() throws {
    if csv == nil && svg == nil && events == nil {
      throw ValidationError("export: give --csv OUT, --svg DIR, --events OUT, or several")
    }
    if smoothing.smoothing != nil && svg == nil {
      throw ValidationError("--smoothing: smooths the --svg figures; give --svg DIR with it")
    }
    if range.range != nil && svg == nil {
      throw ValidationError(
        "--range: chooses the steps of the --svg figures; give --svg DIR with it")
    }
  }

  /// The two figures `--svg` writes into its folder.
  static let figureNames = ["apriori-error.svg", "homogeneity.svg"]

  func run() throws {
    // Every output is checked against the input log and against the other outputs before
    // anything is read or written.
    var files = FileGuard()
    files.input(log, role: "the input log")
    do {
      if let csv { try files.output(csv, flag: "--csv") }
      if let events { try files.output(events, flag: "--events") }
      if let svg {
        try files.output(svg, flag: "--svg")
        for name in Self.figureNames {
          try files.output((svg as NSString).appendingPathComponent(name), flag: "--svg")
        }
      }
      // Every reason an output cannot be written, said before the log is read (a long log
      // takes seconds).
      if let csv { try LogFile.check(path: csv, force: force, flag: "--csv") }
      if let events { try LogFile.check(path: events, force: force, flag: "--events") }
      if let svg {
        try Self.makeFolder(svg, flag: "--svg", create: false)
        if FileKind(path: svg) == .directory {
          for name in Self.figureNames {
            let path = (svg as NSString).appendingPathComponent(name)
            try LogFile.check(path: path, force: force, flag: "--svg")
          }
        }
      }
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    let contents = try LogCommands.read(log)
    if let csv {
      // On a terminal, an ensemble's CSV (seconds for a long log) shows how far it is.
      let line = ProgressLine()
      let text = LogExport.ensembleCSV(contents) { done, total in
        let rate = Double(done) / max(line.elapsed, 1e-3)
        line.show(
          "sptop export: writing \(csv): \(ProgressLine.count(done)) of "
            + "\(ProgressLine.count(total)) records, \(ProgressLine.count(Int(rate))) records/s, "
            + ProgressLine.eta(Double(total - done) / max(rate, 1e-9)))
      }
      line.clear()
      try write(text, to: csv, flag: "--csv")
      print("sptop export: wrote \(csv)")
    }
    if let events {
      try write(LogExport.eventsCSV(contents), to: events, flag: "--events")
      print("sptop export: wrote \(events)")
    }
    if let svg {
      try Self.makeFolder(svg, flag: "--svg")
      for (name, plot) in zip(
        Self.figureNames,
        contents.isEnsemble
          ? [
            LogExport.ensembleAprioriFigure(contents, smoothing: try smoothing.weight()),
            LogExport.ensembleHomogeneityFigure(contents),
          ]
          : [
            LogExport.aprioriFigure(contents, smoothing: try smoothing.weight()),
            LogExport.homogeneityFigure(contents),
          ])
      {
        // The a-priori figure keeps the steps of --range (smoothed over the whole log first,
        // as the dashboard's chart); the homogeneity figure is over λ.
        let steps = try range.steps()
        var plot = plot
        if name == Self.figureNames[0], let last = plot.series.flatMap(\.points).map(\.x).max(),
          let kept = steps.range(lastStep: last)
        {
          plot = plot.restricted(to: kept)
          // Said under the legend (sized from its text), not in a title that could outrun the page.
          plot.notes.append(
            "steps \(SVGPlot.label(kept.lowerBound))–\(SVGPlot.label(kept.upperBound))")
        }
        let path = (svg as NSString).appendingPathComponent(name)
        try write(plot.render(), to: path, flag: "--svg")
        print("sptop export: wrote \(path)")
      }
    }
  }

  /// Creates the folder `path` (its parent must exist) unless it is one already; a failure
  /// names the folder that is missing or in the way.
  static func makeFolder(_ path: String, flag: String, create: Bool = true) throws {
    switch FileKind(linkAt: path) {
    case .directory?: return
    case .symbolicLink? where FileKind(path: path) == .directory: return
    case let kind?:
      throw CommandFailure(message: "\(flag) \(path): is \(kind.phrase), not a folder")
    case nil: break
    }
    let above = PathText.parent(of: path)
    let parent = above.isEmpty ? "." : above
    switch FileKind(path: parent) {
    case nil:
      throw CommandFailure(message: "\(flag) \(path): the folder '\(parent)' does not exist")
    case .directory?: break
    case let kind?:
      throw CommandFailure(message: "\(flag) \(path): '\(parent)' is \(kind.phrase), not a folder")
    }
    if create, mkdir(path, 0o777) != 0 {
      let reason = errno == EACCES ? "permission denied" : String(cString: strerror(errno))
      throw CommandFailure(
        message: "\(flag) \(path): cannot create the folder in '\(parent)': \(reason)")
    }
  }

  private func write(_ text: String, to path: String, flag: String) throws {
    let file: LogFile
    do {
      file = try LogFile.create(path: path, force: force, flag: flag)
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    let handle = FileHandle(fileDescriptor: file.descriptor, closeOnDealloc: true)
    do {
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    } catch {
      throw CommandFailure(message: "\(flag) \(path): \(error.localizedDescription)")
    }
  }
}

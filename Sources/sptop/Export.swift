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

  @Flag(help: "Overwrite existing files.")
  var force = false

  func validate() throws {
    if csv == nil && svg == nil {
      throw ValidationError("export: give --csv OUT, --svg DIR, or both")
    }
  }

  func run() throws {
    let contents = try LogCommands.read(log)
    if let csv {
      try write(LogExport.csv(contents), to: csv, flag: "--csv")
      print("sptop export: wrote \(csv)")
    }
    if let svg {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: svg, isDirectory: &isDirectory) {
        if !isDirectory.boolValue { throw CommandFailure(message: "--svg \(svg): is not a folder") }
      } else {
        do {
          try FileManager.default.createDirectory(atPath: svg, withIntermediateDirectories: false)
        } catch {
          throw CommandFailure(message: "--svg \(svg): cannot create the folder")
        }
      }
      for (name, plot) in [
        ("apriori-error.svg", LogExport.aprioriFigure(contents)),
        ("homogeneity.svg", LogExport.homogeneityFigure(contents)),
      ] {
        let path = (svg as NSString).appendingPathComponent(name)
        try write(plot.render(), to: path, flag: "--svg")
        print("sptop export: wrote \(path)")
      }
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

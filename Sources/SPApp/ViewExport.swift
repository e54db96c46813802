import Foundation
import SPDashboard
import SPEngine

/// What the export key does: writes the charts on screen (`DashboardView.exportedPage`) to a
/// fresh file `sptop-view-YYYYMMDD-HHMMSS.svg` (-2, -3… when taken: never over a file) in
/// `folder`, and says in one line where, or why not.
public struct ViewExport: Sendable {
  /// Where the files go: "." (the working folder) on the live dashboard, the log's folder in a
  /// replay.
  public var folder: String
  /// The dashboard's inputs (configuration, theme files, the replayed log), which no export
  /// may overwrite.
  public var inputs: FileGuard

  public init(folder: String = ".", inputs: FileGuard = FileGuard()) {
    self.folder = folder
    self.inputs = inputs
  }

  /// Writes `page` and returns the footer's line: "view exported to PATH", or why it was not.
  public func write(_ page: SVGPage?, now: Date = Date()) -> String {
    guard let page else { return "export: nothing on screen to export yet" }
    // The folder said once (a footer is one line).
    switch FileKind(path: folder) {
    case nil: return OneLine.escaped("export: the folder '\(folder)' does not exist")
    case .directory?: break
    case let kind?: return OneLine.escaped("export: '\(folder)' is \(kind.phrase), not a folder")
    }
    let path = LogFile.freshName(stem: "sptop-view", extension: "svg", in: folder, now: now)
    do {
      var files = inputs
      try files.output(path, flag: "export")
      let file = try LogFile.create(path: path, force: false, flag: "export")
      if let why = Self.write(page.render(), closing: file.descriptor) {
        // A partial figure is no figure: the file goes (a full disk).
        _ = unlink(path)
        return OneLine.escaped("export \(path): \(why)")
      }
      return OneLine.escaped("view exported to \(path)")
    } catch {
      return "\(error)"
    }
  }

  /// Writes `text` to `descriptor` and closes it; nil when all went, else why not ("No space
  /// left on device").
  static func write(_ text: String, closing descriptor: Int32) -> String? {
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    do {
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
      return nil
    } catch {
      return reason(error)
    }
  }

  /// An I/O error said short ("No space left on device").
  static func reason(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription
  }
}

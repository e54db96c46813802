import Foundation

/// A fresh folder under the system's temporary directory, removed with everything in it when
/// the last reference goes (the end of the test that made it, whether it passed, failed or
/// threw). Keep the folder itself, not a path copied out of it, for as long as you use it:
/// Swift may release an object right after its last use, so a test that goes on with paths only
/// (a child process writing into it) holds it with `defer { withExtendedLifetime(folder) {} }`.
public final class TemporaryFolder: Sendable {
  public let url: URL

  /// Creates `<tmp>/sptop-<label>-<uuid>`.
  public init(_ label: String = "test") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("sptop-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// The folder's path.
  public var path: String { url.path }

  /// The path of `name` inside the folder (nothing is created).
  public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// The URL of `name` inside the folder (nothing is created).
  public func url(_ name: String) -> URL { url.appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(at: url) }
}

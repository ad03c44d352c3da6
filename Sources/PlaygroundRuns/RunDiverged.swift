import Foundation

/// A run whose training diverged, kept in its folder with status `diverged`.
public struct RunDiverged: Error, CustomStringConvertible {
  public let description: String
  /// The kept run folder.
  public let folder: URL
  public init(_ description: String, folder: URL) {
    self.description = description
    self.folder = folder
  }
}

/// A run stopped by a tuning pruner (``RunContext/report(budget:_:)``), kept in its folder with
/// status `pruned`. Thrown from inside a run to stop it; ``RunFolder/perform(config:_:)`` then
/// keeps the folder and throws it again with ``folder`` set.
public struct RunPruned: Error, CustomStringConvertible {
  public let description: String
  /// The kept run folder, once kept.
  public let folder: URL?
  public init(_ description: String, folder: URL? = nil) {
    self.description = description
    self.folder = folder
  }
}

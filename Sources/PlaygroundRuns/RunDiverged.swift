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

import Foundation
import PlaygroundFiles

/// A settings or scenario file read as UTF-8 text, with a message that says which of the usual
/// problems it has: missing, a folder, unreadable, too large, or not UTF-8 (a binary or UTF-16
/// file).
public enum TextFile {
  /// The largest settings file read (1 MiB): settings are a few lines.
  public static let maximumBytes = 1 << 20

  /// The text of the file at `url`.
  /// - Parameter what: what the file is, for the message (`config`, `scenario`).
  /// - Throws: ``RunError`` naming the problem.
  public static func read(_ url: URL, what: String) throws -> String {
    do {
      return try UserFile.text(url, what: what, maximumBytes: maximumBytes)
    } catch {
      throw RunError(error.description)
    }
  }
}

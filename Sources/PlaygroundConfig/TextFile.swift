import Foundation

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
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      throw RunError("cannot read \(what) \(url.path): no such file")
    }
    guard !isFolder.boolValue else {
      throw RunError("cannot read \(what) \(url.path): it is a folder, not a file")
    }
    // A pipe or a device would block the open below, or never end.
    guard
      (try? manager.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) == .typeRegular
    else {
      throw RunError(
        "cannot read \(what) \(url.path): it is not a regular file (a pipe or a device?); pass a file"
      )
    }
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw RunError("cannot read \(what) \(url.path): not readable (check its permissions)")
    }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
    guard data.count <= maximumBytes else {
      throw RunError("\(what) \(url.path) is larger than 1 MiB: is it really a settings file?")
    }
    guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else {
      throw RunError("\(what) \(url.path) is not UTF-8 text: save it as UTF-8")
    }
    return text
  }
}

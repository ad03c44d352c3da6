import Foundation

/// A file someone names — settings, maps, corpora, data sets, pictures, checkpoints, a run
/// folder's records — read only when it is a regular file of bounded size: a pipe or a device
/// would block the read or never end, and a file larger than its kind ever is would take the
/// machine's memory. Every reader of such files goes through ``read(_:what:maximumBytes:)``.
public enum UserFile {
  /// Why a file was not read, as one line naming it.
  public struct Problem: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) { self.description = description }
  }

  /// The bytes of the file at `url`, when it is a regular, readable file of at most
  /// `maximumBytes`.
  /// - Parameter what: what the file is, for messages (`checkpoint`, `PNG`, `config`).
  /// - Throws: ``Problem`` naming the file and what is wrong with it.
  public static func read(_ url: URL, what: String, maximumBytes: Int) throws(Problem) -> Data {
    let size = try regularFileSize(url, what: what)
    guard size <= maximumBytes else {
      throw Problem(
        "\(what) \(url.path) is \(describe(bytes: size)), larger than \(describe(bytes: maximumBytes)): is it really a \(what)?"
      )
    }
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw Problem("cannot read \(what) \(url.path): not readable (check its permissions)")
    }
    defer { try? handle.close() }
    // Bounded even if the file grows between the size check and the read.
    let data: Data
    do {
      data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
    } catch {
      throw Problem("cannot read \(what) \(url.path): \(error.localizedDescription)")
    }
    guard data.count <= maximumBytes else {
      throw Problem("\(what) \(url.path) grew past \(describe(bytes: maximumBytes)) while read")
    }
    return data
  }

  /// The first `count` bytes (or fewer) of the regular file at `url`: a header, read before
  /// deciding whether to read the rest.
  public static func prefix(_ url: URL, what: String, count: Int) throws(Problem) -> Data {
    _ = try regularFileSize(url, what: what)
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw Problem("cannot read \(what) \(url.path): not readable (check its permissions)")
    }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: count)) ?? Data()
  }

  /// The UTF-8 text of the file at `url`, as ``read(_:what:maximumBytes:)`` reads it.
  /// - Throws: ``Problem`` as there, or when the bytes are not UTF-8 text.
  public static func text(_ url: URL, what: String, maximumBytes: Int) throws(Problem) -> String {
    let data = try read(url, what: what, maximumBytes: maximumBytes)
    guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else {
      throw Problem("\(what) \(url.path) is not UTF-8 text: save it as UTF-8")
    }
    return text
  }

  /// The size in bytes of the regular file at `url`.
  /// - Throws: ``Problem`` when nothing is there, or a folder, a pipe or a device.
  public static func regularFileSize(_ url: URL, what: String) throws(Problem) -> Int {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      throw Problem("cannot read \(what) \(url.path): no such file")
    }
    guard !isFolder.boolValue else {
      throw Problem("cannot read \(what) \(url.path): it is a folder, not a file")
    }
    let attributes = try? manager.attributesOfItem(atPath: url.path)
    guard attributes?[.type] as? FileAttributeType == .typeRegular,
      let size = (attributes?[.size] as? NSNumber)?.intValue
    else {
      throw Problem(
        "cannot read \(what) \(url.path): it is not a regular file (a pipe or a device?); pass a file"
      )
    }
    return size
  }

  /// `bytes` as a person reads it: `512 bytes`, `3.2 MiB`, `2 GiB`.
  public static func describe(bytes: Int) -> String {
    let units = ["KiB", "MiB", "GiB", "TiB"]
    guard bytes >= 1024 else { return "\(bytes) bytes" }
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let number = value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    return "\(number) \(units[unit])"
  }
}

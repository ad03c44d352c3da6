import Foundation
import PlaygroundConfig

/// A file the user names for the playground to write. Writing goes through a temporary file and
/// a rename, which would replace a symbolic link, a FIFO or a device node with a regular file
/// (as root, even `/dev/full`): a link is written through to its target, anything that is not
/// a regular file is refused.
enum OutputFile {
  /// Where to write for `path`.
  /// - Throws: ``RunError`` when `path` (or its link's target) exists and is not a regular file.
  static func resolve(_ path: String, option: String) throws -> URL {
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
    guard
      let type = try? FileManager.default.attributesOfItem(atPath: target.path)[.type]
        as? FileAttributeType
    else { return target }
    guard type == .typeRegular else {
      throw RunError(
        "\(option) \(path) is not a regular file (a folder, FIFO or device): name a file to write")
    }
    return target
  }
}

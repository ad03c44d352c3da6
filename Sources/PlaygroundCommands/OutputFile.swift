import Foundation
import PlaygroundConfig

/// A file the user names for the playground to write. Writing goes through a temporary file and
/// a rename, which would replace a symbolic link, a FIFO or a device node with a regular file
/// (as root, even `/dev/full`): a link is written through to its target, anything that is not
/// a regular file is refused. So is a file the same command reads, or a file of the run folder it
/// reads other than the one it writes itself: writing there would destroy its input.
enum OutputFile {
  /// Where to write for `path`.
  /// - Parameters:
  ///   - inputs: files the command reads (`--checkpoint`), which the output may not be.
  ///   - run: the run folder the command reads, whose files the output may not replace —
  ///   - own: except these names, the command's own outputs there (`saliency.png`).
  /// - Throws: ``RunError`` when `path` (or its link's target) exists and is not a regular file,
  ///   or would replace an input.
  static func resolve(
    _ path: String, option: String, inputs: [String] = [], run: URL? = nil, own: [String] = []
  ) throws -> URL {
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL
    for input in inputs
    where URL(fileURLWithPath: input).resolvingSymlinksInPath().standardizedFileURL.path
      == target.path
    {
      throw RunError("\(option) \(path) is the file this command reads: name another file to write")
    }
    if let run,
      target.deletingLastPathComponent().path
        == run.resolvingSymlinksInPath().standardizedFileURL.path,
      !own.contains(target.lastPathComponent),
      FileManager.default.fileExists(atPath: target.path)
    {
      throw RunError(
        "\(option) \(path) would replace the run's own \(target.lastPathComponent): name another file to write"
      )
    }
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

import Foundation
import PlaygroundConfig
import PlaygroundEnvironments

/// The scenarios, environments and agents that ship with the playground: the YAML files under
/// `scenarios/`, `environments/` and `agents/` of the working folder, or else of the package
/// the `playground` binary was built in.
public enum ScenarioCatalog {
  /// The folder named `name` (`scenarios`, `agents`, `environments`), if found.
  public static func folder(_ name: String) -> URL? {
    var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
    // The package root above `.build/<configuration>/playground`.
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<5 {
      candidates.append(directory)
      directory = directory.deletingLastPathComponent()
    }
    return candidates.map { $0.appendingPathComponent(name) }.first {
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isFolder)
        && isFolder.boolValue
    }
  }

  /// A scenario file: `path` itself, or a built-in scenario's name (`rl-cartpole`).
  public static func scenario(_ path: String) -> URL? {
    if FileManager.default.fileExists(atPath: path) { return URL(fileURLWithPath: path) }
    let name = path.hasSuffix(".yaml") ? path : path + ".yaml"
    return folder("scenarios").map { $0.appendingPathComponent(name) }.flatMap {
      FileManager.default.fileExists(atPath: $0.path) ? $0 : nil
    }
  }

  /// The YAML files of `folder`, each with a one-line description: a scenario's `description:`,
  /// else the file's first comment line.
  public static func entries(of name: String) -> [(name: String, path: String, line: String)] {
    guard let folder = folder(name),
      let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return files.filter { $0.hasSuffix(".yaml") }.sorted().map { file in
      let url = folder.appendingPathComponent(file)
      let text = (try? TextFile.read(url, what: "scenario")) ?? ""
      let lines = text.split(separator: "\n").map(String.init)
      let description =
        lines.first { $0.hasPrefix("description:") }.map {
          $0.dropFirst("description:".count).trimmingCharacters(in: .whitespaces)
        }
        ?? lines.first { $0.hasPrefix("#") }.map {
          $0.drop { $0 == "#" || $0 == " " }.trimmingCharacters(in: .whitespaces)
        } ?? ""
      return (String(file.dropLast(5)), url.path, description)
    }
  }
}

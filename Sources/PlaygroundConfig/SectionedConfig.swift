import Foundation
import Yams

/// A YAML file of named sections, each the settings of one ``ConfigFile`` (a run's `config.yaml`
/// with `environment:` and `agent:`).
public enum SectionedConfig {
  /// The sections of the file at `url`; unknown section names are errors naming the line.
  public static func read(_ url: URL, sections names: [String]) throws -> [String: Node] {
    let text = try TextFile.read(url, what: "config")
    guard let node = try? Yams.compose(yaml: text), let mapping = node.mapping else {
      throw RunError(
        "\(url.path) must be a mapping with \(names.map { "\($0):" }.joined(separator: " and ")) sections"
      )
    }
    var sections: [String: Node] = [:]
    for (key, value) in mapping {
      guard let name = key.string, names.contains(name) else {
        throw ConfigError(
          source: url.path, line: key.mark?.line,
          "unknown key '\(key.string ?? "?")'; known keys: \(names.joined(separator: ", "))")
      }
      sections[name] = value
    }
    return sections
  }

  /// The text of a file with these sections, in order.
  public static func text(_ sections: [(String, String)]) -> String {
    sections.map { name, body in
      let indented = body.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
      return "\(name):\n\(indented)"
    }.joined()
  }
}

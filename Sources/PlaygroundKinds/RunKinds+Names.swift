import Foundation
import PlaygroundConfig
import PlaygroundData

extension DatasetName {
  /// The data set `name` names (`mnist` when `nil`).
  /// - Throws: ``NameError`` on the subject when it names none.
  static func named(_ name: String?) throws -> DatasetName {
    guard let name else { return .mnist }
    guard let dataset = DatasetName(rawValue: name) else {
      throw NameError(
        .subject,
        "unknown dataset '\(name)': use \(DatasetName.allCases.map(\.rawValue).joined(separator: " or "))"
      )
    }
    return dataset
  }
}

extension NamedRunKind {
  /// Settings from the agent file at `path` (found with `resolve`), over `defaults`.
  /// - Throws: ``NameError`` on the agent when there is no such file or it is not valid.
  public static func readAgent<Config: ConfigFile>(
    _ path: String, resolve: (String) -> URL?, defaults: Config
  ) throws -> Config {
    guard let url = resolve(path) else {
      throw NameError(
        .agent,
        "unknown agent '\(path)': use \(agentNames.joined(separator: ", ")) or the path of a .yaml file"
      )
    }
    return try NameError.on(.agent) { try Config.read(url, defaults: defaults) }
  }
}

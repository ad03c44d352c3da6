import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import PlaygroundRuns
import Yams

/// The settings of a grid-world run, as its `config.yaml` holds them: an `environment:` section
/// (the keys of `environments/*.yaml`) and an `agent:` section (the keys of `agents/*.yaml`).
/// Both are read strictly.
public struct GridWorldRunConfig: Equatable, Sendable {
  public var environment: GridWorldSettings
  public var agent: TabularAgentConfig

  public init(environment: GridWorldSettings, agent: TabularAgentConfig) {
    self.environment = environment
    self.agent = agent
  }

  /// The YAML text of both sections.
  public func yaml() throws -> String {
    func indented(_ text: String) -> String {
      text.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.isEmpty ? "" : "  " + $0
      }
      .joined(separator: "\n")
    }
    return "environment:\n\(indented(try environment.yaml()))agent:\n\(indented(try agent.yaml()))"
  }

  /// Reads a run's `config.yaml`.
  public static func read(_ url: URL) throws -> GridWorldRunConfig {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw RunError("cannot read config \(url.path): no such file or not readable")
    }
    let source = url.path
    guard let node = try? Yams.compose(yaml: text), let mapping = node.mapping else {
      throw RunError("\(source) must be a mapping with environment: and agent: sections")
    }
    for (key, _) in mapping where !["environment", "agent"].contains(key.string ?? "") {
      let line = key.mark.map { " (line \($0.line))" } ?? ""
      throw RunError(
        "\(source)\(line): unknown key '\(key.string ?? "?")'; known keys: environment, agent")
    }
    let environment =
      try mapping["environment"].map {
        try GridWorldSettings.decode(node: $0, source: source, defaults: GridWorldSettings())
      } ?? GridWorldSettings()
    let agent =
      try mapping["agent"].map {
        try TabularAgentConfig.decode(node: $0, source: source, defaults: TabularAgentConfig())
      } ?? TabularAgentConfig()
    return GridWorldRunConfig(environment: environment, agent: agent)
  }
}

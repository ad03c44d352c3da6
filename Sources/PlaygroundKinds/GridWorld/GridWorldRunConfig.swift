import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundEnvironments
import PlaygroundRuns

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
    SectionedConfig.text([("environment", try environment.yaml()), ("agent", try agent.yaml())])
  }

  /// Reads a run's `config.yaml`.
  public static func read(_ url: URL) throws -> GridWorldRunConfig {
    let sections = try SectionedConfig.read(url, sections: ["environment", "agent"])
    let environment =
      try sections["environment"].map {
        try GridWorldSettings.decode(node: $0, source: url.path, defaults: GridWorldSettings())
      } ?? GridWorldSettings()
    let agent =
      try sections["agent"].map {
        try TabularAgentConfig.decode(node: $0, source: url.path, defaults: TabularAgentConfig())
      } ?? TabularAgentConfig()
    return GridWorldRunConfig(environment: environment, agent: agent)
  }
}

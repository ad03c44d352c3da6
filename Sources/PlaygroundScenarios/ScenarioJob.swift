import Foundation
import PlaygroundAgents
import PlaygroundClassifier
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundGenerative
import PlaygroundRL
import PlaygroundRuns
import Yams

/// One fully resolved run: which module trains, with every setting decided. A scenario file
/// resolves to one per seed and sweep setting; `playground classify`, `rl gridworld`,
/// `rl cartpole` and `gan` build the same jobs from their flags, so each command is a shorthand
/// for its built-in scenario (`scenarios/<kind>-<what>.yaml`).
public enum ScenarioJob: Sendable {
  case classify(ClassifierConfig)
  case gridWorld(GridWorldRunConfig)
  case cartPole(CartPoleSettings, DQNConfig)
  case cartPoleTabular(CartPoleSettings, TabularAgentConfig, Discretization)
  case gan(GANConfig)

  /// The output folder a run uses when no scenario names another.
  public var defaultName: String {
    switch self {
    case .classify(let config): "classify-\(config.dataset.rawValue)"
    case .gridWorld: "rl-gridworld"
    case .cartPole, .cartPoleTabular: "rl-cartpole"
    case .gan(let config): "gan-\(config.dataset.rawValue)"
    }
  }

  /// The keys `overrides:` and `sweep:` may set: those of the agent's or model's settings.
  public var settingKeys: [String] {
    switch self {
    case .classify: ClassifierConfig.CodingKeys.allCases.map(\.stringValue)
    case .gridWorld, .cartPoleTabular: TabularAgentConfig.CodingKeys.allCases.map(\.stringValue)
    case .cartPole: DQNConfig.CodingKeys.allCases.map(\.stringValue)
    case .gan: GANConfig.CodingKeys.allCases.map(\.stringValue)
    }
  }

  /// `budget:` keys and the setting each one sets.
  public var budgetKeys: [String: String] {
    switch self {
    case .classify: ["epochs": "epochs"]
    case .gridWorld, .cartPoleTabular: ["episodes": "episodes"]
    case .cartPole: ["steps": "total_steps"]
    case .gan: ["epochs": "epochs", "minutes": "minutes"]
    }
  }

  /// These settings with the keys of `mapping` replaced (read strictly, as a config file is).
  /// - Parameter source: the file the mapping comes from, for messages (with lines).
  public func applying(_ mapping: Node.Mapping, source: String) throws -> ScenarioJob {
    guard !mapping.isEmpty else { return self }
    let node = Node.mapping(mapping)
    switch self {
    case .classify(let config):
      return .classify(try ClassifierConfig.decode(node: node, source: source, defaults: config))
    case .gridWorld(var config):
      config.agent = try TabularAgentConfig.decode(
        node: node, source: source, defaults: config.agent)
      return .gridWorld(config)
    case .cartPole(let physics, let agent):
      return .cartPole(physics, try DQNConfig.decode(node: node, source: source, defaults: agent))
    case .cartPoleTabular(let physics, let agent, let bins):
      return .cartPoleTabular(
        physics, try TabularAgentConfig.decode(node: node, source: source, defaults: agent), bins)
    case .gan(let config):
      return .gan(try GANConfig.decode(node: node, source: source, defaults: config))
    }
  }

  public var seed: UInt64 {
    switch self {
    case .classify(let config): config.seed
    case .gridWorld(let config): config.agent.seed
    case .cartPole(_, let agent): agent.seed
    case .cartPoleTabular(_, let agent, _): agent.seed
    case .gan(let config): config.seed
    }
  }

  /// The same job with another seed.
  public func seeded(_ seed: UInt64) -> ScenarioJob {
    switch self {
    case .classify(var config):
      config.seed = seed
      return .classify(config)
    case .gridWorld(var config):
      config.agent.seed = seed
      return .gridWorld(config)
    case .cartPole(let physics, var agent):
      agent.seed = seed
      return .cartPole(physics, agent)
    case .cartPoleTabular(let physics, var agent, let bins):
      agent.seed = seed
      return .cartPoleTabular(physics, agent, bins)
    case .gan(var config):
      config.seed = seed
      return .gan(config)
    }
  }

  /// Checks every setting (ranges and combinations).
  public func validate() throws {
    switch self {
    case .classify(let config): try config.validate()
    case .gridWorld(let config):
      try config.environment.validate()
      try config.agent.validate()
    case .cartPole(let physics, let agent):
      try physics.validate()
      try agent.validate()
    case .cartPoleTabular(let physics, let agent, let bins):
      try physics.validate()
      try agent.validate()
      try bins.validate()
    case .gan(let config): try config.validate()
    }
  }

  /// The text of the run's `config.yaml`: what identifies the job.
  public func configYAML() throws -> String {
    switch self {
    case .classify(let config): try config.yaml()
    case .gridWorld(let config): try config.yaml()
    case .cartPole(let physics, let agent):
      try CartPoleRun(
        environment: physics, agent: agent, outputDirectory: URL(fileURLWithPath: ".")
      )
      .configYAML()
    case .cartPoleTabular(let physics, let agent, let bins):
      try CartPoleQLearningRun(
        environment: physics, agent: agent, discretization: bins,
        outputDirectory: URL(fileURLWithPath: ".")
      ).configYAML()
    case .gan(let config): try config.yaml()
    }
  }

  /// Trains, writing `<outputDirectory>/<name>/<run-id>/`.
  /// - Parameters:
  ///   - name: the scenario folder (``defaultName`` for the built-in commands).
  ///   - quiet: print only the final lines.
  /// - Returns: the finished run folder.
  @discardableResult
  public func run(
    name: String? = nil, outputDirectory: URL, sources: DataSources, quiet: Bool,
    print say: (String) -> Void = { Swift.print($0) }
  ) throws -> URL {
    let name = name ?? defaultName
    switch self {
    case .classify(let config):
      var job = ClassifierRun(config: config, sources: sources, outputDirectory: outputDirectory)
      job.quiet = quiet
      job.scenario = name
      return try job.run(print: say).finalURL
    case .gridWorld(let config):
      var job = GridWorldRun(config: config, outputDirectory: outputDirectory)
      job.quiet = quiet
      job.scenario = name
      return try job.run { message in
        if !quiet || message.hasPrefix("greedy") || message.hasPrefix("run saved") { say(message) }
      }.folder.finalURL
    case .cartPole(let physics, let agent):
      var job = CartPoleRun(environment: physics, agent: agent, outputDirectory: outputDirectory)
      job.quiet = quiet
      job.scenario = name
      return try job.run(print: say).folder.finalURL
    case .cartPoleTabular(let physics, let agent, let bins):
      var job = CartPoleQLearningRun(
        environment: physics, agent: agent, discretization: bins, outputDirectory: outputDirectory)
      job.quiet = quiet
      job.scenario = name
      return try job.run(print: say).folder.finalURL
    case .gan(let config):
      var job = GANRun(config: config, sources: sources, outputDirectory: outputDirectory)
      job.quiet = quiet
      job.scenario = name
      return try job.run(print: say).finalURL
    }
  }
}

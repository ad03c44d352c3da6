import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundRandom
import PlaygroundRuns

/// `playground rl cartpole --agent q-learning`: the classic non-neural baseline, tabular
/// Q-learning on a discretised cart-pole. Writes `config.yaml` (environment:, agent: and
/// discretization: sections), `metrics.csv`, `q_table.csv`, `learning_curve.png`, `episode.png`
/// and `summary.json`.
public struct CartPoleQLearningRun {
  public var environment: CartPoleSettings
  public var agent: TabularAgentConfig
  public var discretization: Discretization
  public var outputDirectory: URL
  public var quiet = false
  /// The folder under the output directory: `rl-cartpole` unless a scenario names another.
  public var scenario = "rl-cartpole"

  /// The baseline's defaults: 2,000 episodes, γ 0.99, the grid-world agent's other settings.
  public static var defaultAgent: TabularAgentConfig {
    var agent = TabularAgentConfig()
    agent.episodes = 2_000
    agent.discount = 0.99
    agent.evaluationEpisodes = 100
    return agent
  }

  public init(
    environment: CartPoleSettings, agent: TabularAgentConfig, discretization: Discretization,
    outputDirectory: URL
  ) {
    self.environment = environment
    self.agent = agent
    self.discretization = discretization
    self.outputDirectory = outputDirectory
  }

  /// The text of `config.yaml`: environment:, agent: and discretization: sections.
  public func configYAML() throws -> String {
    SectionedConfig.text([
      ("environment", try environment.yaml()), ("agent", try agent.yaml()),
      ("discretization", try discretization.yaml()),
    ])
  }

  /// Reads `agents/cartpole-q-learning.yaml` (agent: and discretization: sections).
  public static func readAgentFile(_ url: URL) throws -> (TabularAgentConfig, Discretization) {
    let sections = try SectionedConfig.read(url, sections: ["agent", "discretization"])
    let agent =
      try sections["agent"].map {
        try TabularAgentConfig.decode(node: $0, source: url.path, defaults: defaultAgent)
      } ?? defaultAgent
    let discretization =
      try sections["discretization"].map {
        try Discretization.decode(node: $0, source: url.path, defaults: Discretization())
      } ?? Discretization()
    return (agent, discretization)
  }

  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> (
    folder: RunFolder, evaluation: GreedyEvaluation
  ) {
    let started = Date()
    try environment.validate()
    try agent.validate()
    try discretization.validate()
    guard discretization.bins.count == 4 else {
      throw RunError(
        "the cart-pole has 4 observation dimensions; the discretization lists \(discretization.bins.count)"
      )
    }
    let env = Discretized(try CartPole.make(environment), discretization)
    let generator = RandomGenerator(seed: agent.seed)
    let learner = TabularAgent(
      stateCount: discretization.stateCount, actionCount: env.actionCount, config: agent,
      generator: generator.derived(stream: 2))
    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: agent.seed)
    do {
      try folder.write(configYAML(), to: "config.yaml")
      let progress = ProgressLine(total: agent.episodes, unit: "episode", quiet: quiet)
      var recent = 0.0
      let trainStart = Date()
      let records = TabularTrainer.train(env, agent: learner, generator: generator, isGoal: nil) {
        episode, record in
        recent += (record.episodeReturn - recent) * 0.05
        progress.update(episode + 1, metrics: [("return", recent), ("epsilon", record.epsilon)])
      }
      let trainSeconds = Date().timeIntervalSince(trainStart)
      progress.finish(metrics: [("return", recent)])
      var metrics = MetricsLog(columns: ["episode", "return", "length", "epsilon"])
      for (index, record) in records.enumerated() {
        metrics.append([
          Double(index + 1), record.episodeReturn, Double(record.length), record.epsilon,
        ])
      }
      try folder.write(metrics.csv, to: "metrics.csv")
      try folder.write(learner.csv(actionNames: ["left", "right"]), to: "q_table.csv")
      let evaluation = TabularTrainer.evaluate(
        env, policy: learner.policy, episodes: agent.evaluationEpisodes,
        seed: generator.derived(stream: 3).seed)
      let curve = LineChart(
        title: "CARTPOLE-V1: DISCRETISED Q-LEARNING", xLabel: "EPISODE", yLabel: "RETURN",
        series: [
          .init(
            name: "return", color: LineChart.palette[0],
            points: records.enumerated().map { (Double($0.offset + 1), $0.element.episodeReturn) })
        ])
      try PNG.write(curve.render(), to: folder.url(for: "learning_curve.png"))
      let watch = try CartPole(environment)
      _ = watch.reset(seed: generator.derived(stream: 5).seed)
      var states = [watch.state]
      while states.count <= environment.stepLimit {
        if watch.step(learner.policy[discretization.index(watch.observation)]).terminated {
          states.append(watch.state); break
        }
        states.append(watch.state)
      }
      try PNG.write(
        CartPolePictures.filmStrip(
          states: states, settings: environment, every: max(1, states.count / 24)),
        to: folder.url(for: "episode.png"))
      var summary = Summary(for: folder)
      summary["agent"] = "q-learning (discretised)"
      summary["seed"] = agent.seed
      summary["episodes"] = agent.episodes
      summary["states"] = discretization.stateCount
      summary["evaluation_episodes"] = agent.evaluationEpisodes
      summary["greedy_mean_return"] = evaluation.meanReturn
      summary["train_seconds"] = trainSeconds
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()
      say(
        String(
          format: "greedy policy over %d episodes: mean return %.1f (%d states, %.1f s)",
          evaluation.episodes, evaluation.meanReturn, discretization.stateCount, trainSeconds))
      say("run saved to \(folder.finalURL.path)")
      return (folder, evaluation)
    } catch {
      folder.discard()
      throw error
    }
  }
}

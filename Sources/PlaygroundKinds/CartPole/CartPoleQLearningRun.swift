import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundRandom
import PlaygroundRuns
import Yams

/// `playground rl cartpole --agent q-learning`: the classic non-neural baseline, tabular
/// Q-learning on a discretised cart-pole. Writes `config.yaml` (environment:, agent: and
/// discretization: sections), `metrics.csv`, `q_table.csv`, `learning_curve.png`, `episode.png`
/// and `summary.json`.
public struct CartPoleQLearningRun: NamedRunKind, SettingsRunJob {
  public var environment: CartPoleSettings
  public var agent: TabularAgentConfig
  public var discretization: Discretization

  /// The baseline's defaults: 2,000 episodes, γ 0.99, the grid-world agent's other settings.
  public static var defaultAgent: TabularAgentConfig {
    var agent = TabularAgentConfig()
    agent.episodes = 2_000
    agent.discount = 0.99
    agent.evaluationEpisodes = 100
    return agent
  }

  public init(
    environment: CartPoleSettings, agent: TabularAgentConfig = defaultAgent,
    discretization: Discretization = Discretization()
  ) {
    self.environment = environment
    self.agent = agent
    self.discretization = discretization
  }

  /// Reads a run's `config.yaml` (environment:, agent: and discretization: sections).
  public init(configAt url: URL) throws {
    let sections = try SectionedConfig.read(
      url, sections: ["environment", "agent", "discretization"])
    environment =
      try sections["environment"].map {
        try CartPoleSettings.decode(node: $0, source: url.path, defaults: CartPoleSettings())
      } ?? CartPoleSettings()
    (agent, discretization) = try Self.agentSections(sections, source: url.path)
  }

  /// Reads `agents/cartpole-q-learning.yaml` (agent: and discretization: sections).
  public static func readAgentFile(_ url: URL) throws -> (TabularAgentConfig, Discretization) {
    try agentSections(
      SectionedConfig.read(url, sections: ["agent", "discretization"]), source: url.path)
  }

  private static func agentSections(_ sections: [String: Node], source: String) throws -> (
    TabularAgentConfig, Discretization
  ) {
    let agent =
      try sections["agent"].map {
        try TabularAgentConfig.decode(node: $0, source: source, defaults: defaultAgent)
      } ?? defaultAgent
    let discretization =
      try sections["discretization"].map {
        try Discretization.decode(node: $0, source: source, defaults: Discretization())
      } ?? Discretization()
    return (agent, discretization)
  }

  public static let kind = "cartpole-q-learning"
  public static let family = RunFamily.rl
  public static let label = "rl (cartpole)"
  public static let presets = [
    RunPreset(
      "q-learning", "tabular Q-learning on the discretised state (agents/cartpole-q-learning.yaml)")
  ]
  public static let budgetKeys = ["episodes": "episodes"]

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(subject: "cartpole", agent: "q-learning", overrides: ["episodes": "40"])
  }
  public static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "episode", y: "return", smoothed: true)],
    headline: ["greedy_mean_return", "episodes", "train_seconds"])

  /// The greedy policy's return, pruned on the last 100 training episodes'.
  public static let objectives = [
    RunObjective(
      "greedy_mean_return", higherIsBetter: true, progress: ("mean_return", true),
      unit: "episode")
  ]

  public var defaultName: String { "rl-cartpole" }
  /// The agent's settings (overrides change the agent, not the physics or the bins).
  public var settings: TabularAgentConfig {
    get { agent }
    set { agent = newValue }
  }

  /// A cart-pole with `q-learning` or a file with agent: and discretization: sections.
  /// A cart-pole with the tabular baseline's agent.
  public static func claims(subject: String?, agent: String?, resolve: (String) -> URL?) -> Bool {
    CartPolePhysics.namesCartPole(subject, resolve: resolve)
      && CartPolePhysics.namesTabularAgent(agent, resolve: resolve)
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> CartPoleQLearningRun?
  {
    guard let physics = try CartPolePhysics.named(subject, resolve: resolve) else { return nil }
    if agent == "q-learning" { return CartPoleQLearningRun(environment: physics) }
    guard let agent, let url = resolve(agent), CartPolePhysics.isTabularAgentFile(url) else {
      return nil
    }
    let (tabular, bins) = try NameError.on(.agent) { try readAgentFile(url) }
    return CartPoleQLearningRun(environment: physics, agent: tabular, discretization: bins)
  }

  public func validate() throws {
    try environment.validate()
    try agent.validate()
    try discretization.validate()
    guard discretization.bins.count == 4 else {
      throw RunError(
        "the cart-pole has 4 observation dimensions; the discretization lists \(discretization.bins.count)"
      )
    }
    try MemoryBudget.check(
      TabularAgent.estimatedBytes(states: discretization.stateCount, actions: 2),
      for: "the Q-table of \(discretization.stateCount) states", lower: "the discretization's bins")
  }

  /// The text of `config.yaml`: environment:, agent: and discretization: sections.
  public func configYAML() throws -> String {
    SectionedConfig.text([
      ("environment", try environment.yaml()), ("agent", try agent.yaml()),
      ("discretization", try discretization.yaml()),
    ])
  }

  public func run(in context: RunContext) throws -> URL {
    let started = Date()
    try validate()
    let env = Discretized(try CartPole.make(environment), discretization)
    let generator = RandomGenerator(seed: agent.seed)
    let learner = TabularAgent(
      stateCount: discretization.stateCount, actionCount: env.actionCount, config: agent,
      generator: generator.derived(stream: 2))
    let folder = try context.newFolder(for: self)
    let (evaluation, trainSeconds) = try folder.perform(config: configYAML()) { folder in
      let (records, trainSeconds) = try train(
        env, learner: learner, generator: generator, in: folder, context)
      try record(records, learner: learner, in: folder)
      let evaluation = TabularTrainer.evaluate(
        env, policy: learner.policy, episodes: agent.evaluationEpisodes,
        seed: generator.derived(stream: 3).seed)
      try picture(records, learner: learner, generator: generator, in: folder)
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
      return (evaluation, trainSeconds)
    }
    context.say(
      String(
        format: "greedy policy over %d episodes: mean return %.1f (%d states, %.1f s)",
        evaluation.episodes, evaluation.meanReturn, discretization.stateCount, trainSeconds))
    context.say("run saved to \(folder.finalURL.path)")
    return folder.finalURL
  }

  private func train(
    _ env: Discretized<TimeLimit<CartPole>>, learner: TabularAgent, generator: RandomGenerator,
    in folder: RunFolder, _ context: RunContext
  ) throws -> ([EpisodeRecord], Double) {
    let progress = ProgressLine(total: agent.episodes, unit: "episode", quiet: context.quiet)
    var recent = 0.0
    var window = EpisodeWindow(reports: 50, episodes: agent.episodes)
    let trainStart = Date()
    let records: [EpisodeRecord]
    do {
      records = try TabularTrainer.train(env, agent: learner, generator: generator, isGoal: nil) {
        episode, record in
        recent += (record.episodeReturn - recent) * 0.05
        progress.update(episode + 1, metrics: [("return", recent), ("epsilon", record.epsilon)])
        try folder.show(
          row: Self.row(episode + 1, record), columns: Self.columns, of: "metrics.csv")
        if let figures = window.add(record) {
          try context.report(budget: Double(episode + 1), figures)
        }
      }
    } catch let pruned as RunPruned {
      try record(window.seen, learner: learner, in: folder)
      throw pruned
    }
    let seconds = Date().timeIntervalSince(trainStart)
    progress.finish(metrics: [("return", recent)])
    return (records, seconds)
  }

  /// `metrics.csv` and `q_table.csv`.
  private func record(_ records: [EpisodeRecord], learner: TabularAgent, in folder: RunFolder)
    throws
  {
    var metrics = MetricsLog(columns: Self.columns)
    for (index, record) in records.enumerated() { metrics.append(Self.row(index + 1, record)) }
    try folder.write(metrics: metrics, to: "metrics.csv")
    try folder.write(learner.csv(actionNames: ["left", "right"]), to: "q_table.csv")
  }

  private static let columns = ["episode", "return", "length", "epsilon"]

  /// The row of the `number`th episode (shown in TensorBoard as it ends).
  private static func row(_ number: Int, _ record: EpisodeRecord) -> [Double] {
    [Double(number), record.episodeReturn, Double(record.length), record.epsilon]
  }

  /// `learning_curve.png` and `episode.png`.
  private func picture(
    _ records: [EpisodeRecord], learner: TabularAgent, generator: RandomGenerator,
    in folder: RunFolder
  ) throws {
    let curve = LineChart(
      title: "CARTPOLE-V1: DISCRETISED Q-LEARNING", xLabel: "EPISODE", yLabel: "RETURN",
      series: [
        .init(
          name: "return", color: LineChart.palette[0],
          points: records.enumerated().map { (Double($0.offset + 1), $0.element.episodeReturn) })
      ])
    try folder.write(picture: curve.render(), to: "learning_curve.png")
    let bins = discretization
    try folder.write(
      picture:
        CartPolePictures.episode(
          settings: environment, seed: generator.derived(stream: 5).seed,
          policy: { learner.policy[bins.index($0)] }), to: "episode.png")
  }
}

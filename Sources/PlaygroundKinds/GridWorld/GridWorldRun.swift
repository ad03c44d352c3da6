import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundRandom
import PlaygroundRuns
import Yams

/// One `playground rl gridworld` run: train a tabular agent, evaluate its greedy policy over many
/// seeded episodes next to the optimum from value iteration, and write `config.yaml`,
/// `metrics.csv`, `q_table.csv`, `policy.png`, `values.png`, `learning_curve.png` and
/// `summary.json`.
public struct GridWorldRun: NamedRunKind, SettingsRunJob {
  public var config: GridWorldRunConfig

  public init(config: GridWorldRunConfig) {
    self.config = config
  }

  public init(configAt url: URL) throws {
    config = try GridWorldRunConfig.read(url)
  }

  public static let kind = "gridworld"
  public static let family = RunFamily.rl
  public static let label = "rl (grid worlds)"
  public static var subjectNames: [String] { GridWorldCatalog.builtIn.keys.sorted() }
  public static let presets = [
    RunPreset("q-learning", "tabular Q-learning (agents/q-learning.yaml)"),
    RunPreset("sarsa", "tabular SARSA (agents/sarsa.yaml)"),
    RunPreset("expected-sarsa", "tabular expected SARSA (agents/expected-sarsa.yaml)"),
  ]
  public static let budgetKeys = ["episodes": "episodes"]

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(subject: "frozenlake4x4", agent: "q-learning", overrides: ["episodes": "40"])
  }
  public static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "episode", y: "return", smoothed: true)],
    headline: ["greedy_success_rate", "greedy_mean_return", "episodes", "train_seconds"])

  /// The greedy policy's success and return, pruned on the last 100 training episodes'.
  public static let objectives = [
    RunObjective(
      "greedy_success_rate", higherIsBetter: true, progress: ("success_rate", true),
      unit: "episode", optimum: 1),
    RunObjective(
      "greedy_mean_return", higherIsBetter: true, progress: ("mean_return", true),
      unit: "episode"),
  ]

  public var defaultName: String { "rl-gridworld" }
  /// The agent's settings (overrides change the agent, not the map).
  public var settings: TabularAgentConfig {
    get { config.agent }
    set { config.agent = newValue }
  }

  /// Any environment that is not a cart-pole: a built-in map's name, or a .yaml or .txt map.
  /// Every environment but a cart-pole: a built-in grid world or a map file.
  public static func claims(subject: String?, agent: String?, resolve: (String) -> URL?) -> Bool {
    !CartPolePhysics.namesCartPole(subject, resolve: resolve)
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> GridWorldRun?
  {
    guard let subject else {
      throw NameError(
        .subject,
        "'environment' is missing for kind rl: \(RunKinds.subjectNames(.rl).joined(separator: ", ")) or a path"
      )
    }
    let world = try NameError.on(.subject) {
      try GridWorldCatalog.settings(for: resolve(subject)?.path ?? subject)
    }
    var tabular = TabularAgentConfig()
    if let agent {
      if let algorithm = TabularAlgorithm(rawValue: agent) {
        tabular.algorithm = algorithm
      } else {
        tabular = try readAgent(agent, resolve: resolve, defaults: tabular)
      }
    }
    return GridWorldRun(config: GridWorldRunConfig(environment: world, agent: tabular))
  }

  public func validate() throws {
    try config.environment.validate()
    try config.agent.validate()
    // The map's cells size the transition table, the Q-table and the planning's values.
    let map = try GridMap(config.environment.map)
    try MemoryBudget.check(
      TabularAgent.estimatedBytes(states: map.rows * map.columns, actions: 4)
        + TabularPlanning.estimatedBytes(states: map.rows * map.columns, actions: 4),
      for: "the tables of a \(map.rows)×\(map.columns) map", lower: "the map's size")
  }

  public func configYAML() throws -> String { try config.yaml() }

  public func run(in context: RunContext) throws -> URL {
    let started = Date()
    try config.agent.validate()
    let env = try NameError.on(.subject) { try GridWorld.make(config.environment) }
    let world = env.wrapped
    let agentConfig = config.agent
    let generator = RandomGenerator(seed: agentConfig.seed)
    let agent = TabularAgent(
      stateCount: world.stateCount, actionCount: env.actionCount, config: agentConfig,
      generator: generator.derived(stream: 2))
    let folder = try context.newFolder(for: self)
    let outcome = try folder.perform(config: config.yaml()) { folder in
      context.progress(
        "\(config.environment.name): \(world.map.rows)×\(world.map.columns) grid, \(agentConfig.algorithm.rawValue), \(agentConfig.episodes) episodes"
      )
      let (records, trainSeconds) = try train(
        env, agent: agent, generator: generator, in: folder, context)
      return try finish(
        records, agent: agent, env: env, generator: generator, trainSeconds: trainSeconds,
        started: started, in: folder)
    }
    report(outcome, say: context.say)
    context.say("run saved to \(folder.finalURL.path)")
    return folder.finalURL
  }

  /// After training: `metrics.csv`, the evaluation beside the optimum, the pictures and
  /// `summary.json`.
  func finish(
    _ records: [EpisodeRecord], agent: TabularAgent, env: TimeLimit<GridWorld>,
    generator: RandomGenerator, trainSeconds: Double, started: Date, in folder: RunFolder
  ) throws -> Outcome {
    try record(records, in: folder)
    let outcome = try evaluate(env, agent: agent, generator: generator)
    try picture(
      records, agent: agent, world: env.wrapped, optimal: outcome.optimalValues, in: folder)
    var summary = self.summary(outcome, records: records, folder: folder)
    summary["train_seconds"] = trainSeconds
    summary["steps_per_second"] = Double(records.steps) / max(trainSeconds, 1e-9)
    summary["episodes_per_second"] = Double(config.agent.episodes) / max(trainSeconds, 1e-9)
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
    return outcome
  }

  /// What the greedy policy and the optimum from value iteration achieve.
  struct Outcome {
    let evaluation: GreedyEvaluation
    let optimal: GreedyEvaluation
    let optimalValues: [Double]
    /// The best success probability within the step limit (finite-horizon planning).
    let bestWithinLimit: Double
    let startValue: Double
  }

  /// Trains every episode; reports the last 100 episodes' success rate and mean return 50
  /// times along the way (a pruned run keeps its episodes up to there).
  private func train(
    _ env: TimeLimit<GridWorld>, agent: TabularAgent, generator: RandomGenerator,
    in folder: RunFolder, _ context: RunContext
  ) throws -> (records: [EpisodeRecord], seconds: Double) {
    let world = env.wrapped
    let progress = ProgressLine(total: config.agent.episodes, unit: "episode", quiet: context.quiet)
    var recentReturn = 0.0
    var recentSuccess = 0.0
    var window = EpisodeWindow(reports: 50, episodes: config.agent.episodes)
    let trainStart = Date()
    let records: [EpisodeRecord]
    do {
      records = try TabularTrainer.train(
        env, agent: agent, generator: generator, isGoal: { world.map.cells[$0] == .goal }
      ) { episode, record in
        // Exponential moving averages over about 100 episodes, for the progress line.
        recentReturn += (record.episodeReturn - recentReturn) * 0.01
        recentSuccess += ((record.succeeded ? 1 : 0) - recentSuccess) * 0.01
        progress.update(
          episode + 1,
          metrics: [
            ("return", recentReturn), ("success", recentSuccess), ("epsilon", record.epsilon),
          ])
        try folder.show(
          row: Self.row(episode + 1, record), columns: Self.columns, of: "metrics.csv")
        if let figures = window.add(record) {
          try context.report(budget: Double(episode + 1), figures)
        }
      }
    } catch let pruned as RunPruned {
      try record(window.seen, in: folder)
      throw pruned
    }
    let seconds = Date().timeIntervalSince(trainStart)
    progress.finish(metrics: [("return", recentReturn), ("success", recentSuccess)])
    return (records, seconds)
  }

  /// `metrics.csv`, one row per episode.
  private func record(_ records: [EpisodeRecord], in folder: RunFolder) throws {
    var metrics = MetricsLog(columns: Self.columns)
    for (index, record) in records.enumerated() { metrics.append(Self.row(index + 1, record)) }
    try folder.write(metrics: metrics, to: "metrics.csv")
  }

  private static let columns = ["episode", "return", "length", "epsilon", "success"]

  /// The row of the `number`th episode (shown in TensorBoard as it ends).
  private static func row(_ number: Int, _ record: EpisodeRecord) -> [Double] {
    [
      Double(number), record.episodeReturn, Double(record.length), record.epsilon,
      record.succeeded ? 1 : 0,
    ]
  }

  private func evaluate(
    _ env: TimeLimit<GridWorld>, agent: TabularAgent, generator: RandomGenerator
  ) throws -> Outcome {
    let world = env.wrapped
    let isGoal: (Int) -> Bool = { world.map.cells[$0] == .goal }
    let (optimalValues, optimalPolicy) = TabularPlanning.valueIteration(
      world.transitions, gamma: config.agent.discount)
    let bestWithinLimit = TabularPlanning.bestSuccessProbability(
      world.transitions, from: world.map.start, horizon: config.environment.stepLimit)
    let seed = generator.derived(stream: 3).seed
    let episodes = config.agent.evaluationEpisodes
    return Outcome(
      evaluation: TabularTrainer.evaluate(
        env, policy: agent.policy, episodes: episodes, seed: seed, isGoal: isGoal),
      optimal: TabularTrainer.evaluate(
        env, policy: optimalPolicy, episodes: episodes, seed: seed, isGoal: isGoal),
      optimalValues: optimalValues, bestWithinLimit: bestWithinLimit,
      startValue: optimalValues[world.map.start])
  }

  private func picture(
    _ records: [EpisodeRecord], agent: TabularAgent, world: GridWorld, optimal: [Double],
    in folder: RunFolder
  ) throws {
    let settings = config.environment
    try folder.write(
      agent.csv(actionNames: settings.actions.map(\.rawValue)), to: "q_table.csv")
    try folder.write(
      picture:
        GridWorldPictures.policy(
          world, policy: agent.policy,
          title: "\(settings.name.uppercased()): GREEDY POLICY (\(config.agent.algorithm.rawValue))"
        ), to: "policy.png")
    try folder.write(
      picture:
        GridWorldPictures.values(world, learned: agent.q.map { $0.max()! }, optimal: optimal),
      to: "values.png")
    try folder.write(
      picture:
        learningCurve(records, name: settings.name), to: "learning_curve.png")
  }

  private func summary(_ outcome: Outcome, records: [EpisodeRecord], folder: RunFolder) -> Summary {
    var summary = Summary(for: folder)
    summary["environment"] = config.environment.name
    summary["agent"] = config.agent.algorithm.rawValue
    summary["seed"] = config.agent.seed
    summary["episodes"] = config.agent.episodes
    summary["environment_steps"] = records.steps
    summary["evaluation_episodes"] = config.agent.evaluationEpisodes
    summary["greedy_success_rate"] = outcome.evaluation.successRate
    summary["greedy_mean_return"] = outcome.evaluation.meanReturn
    summary["greedy_mean_length"] = outcome.evaluation.meanLength
    summary["optimal_policy_success_rate"] = outcome.optimal.successRate
    summary["optimal_policy_mean_return"] = outcome.optimal.meanReturn
    summary["best_success_within_step_limit"] = outcome.bestWithinLimit
    summary["optimal_start_value"] = outcome.startValue
    return summary
  }

  private func report(_ outcome: Outcome, say: (String) -> Void) {
    let (evaluation, optimal) = (outcome.evaluation, outcome.optimal)
    say(
      String(
        format: "greedy policy over %d episodes: success %.3f, mean return %.3f, mean length %.1f",
        evaluation.episodes, evaluation.successRate, evaluation.meanReturn, evaluation.meanLength)
    )
    say(
      String(
        format:
          "optimal (value iteration, γ %.3g): success %.3f, mean return %.3f; best success within %d steps %.3f",
        config.agent.discount, optimal.successRate, optimal.meanReturn,
        config.environment.stepLimit, outcome.bestWithinLimit))
  }

  /// Moving averages of the return and of the success rate, one chart above the other.
  func learningCurve(_ records: [EpisodeRecord], name: String) -> Image {
    let window = max(1, min(1_000, records.count / 50))
    func movingAverage(_ values: [Double]) -> [(x: Double, y: Double)] {
      var points: [(x: Double, y: Double)] = []
      var sum = 0.0
      let stride = max(1, records.count / 600)
      for (index, value) in values.enumerated() {
        sum += value
        if index >= window { sum -= values[index - window] }
        if index + 1 >= window && (index % stride == 0 || index == values.count - 1) {
          points.append((Double(index + 1), sum / Double(window)))
        }
      }
      return points
    }
    func chart(_ title: String, _ yLabel: String, _ series: [LineChart.Series]) -> LineChart {
      var chart = LineChart(
        title: title, xLabel: "EPISODE", yLabel: "\(yLabel) (MOVING AVERAGE OF \(window))",
        series: series)
      chart.height = 300
      return chart
    }
    let returns = chart(
      "\(name.uppercased()): RETURN", "RETURN",
      [
        .init(
          name: "return", color: LineChart.palette[0],
          points: movingAverage(records.map(\.episodeReturn)))
      ])
    var success = chart(
      "SUCCESS RATE AND EPSILON", "SHARE",
      [
        .init(
          name: "success", color: LineChart.palette[2],
          points: movingAverage(records.map { $0.succeeded ? 1 : 0 })),
        .init(
          name: "epsilon", color: LineChart.palette[1],
          points: movingAverage(records.map(\.epsilon))),
      ])
    success.yRange = 0...1
    let top = returns.render()
    let bottom = success.render()
    var image = Image(width: top.width, height: top.height + bottom.height, fill: [255, 255, 255])
    image.draw(top, atX: 0, y: 0)
    image.draw(bottom, atX: 0, y: top.height)
    return image
  }
}

extension [EpisodeRecord] {
  /// Environment steps over all the episodes.
  var steps: Int { reduce(0) { $0 + $1.length } }
}

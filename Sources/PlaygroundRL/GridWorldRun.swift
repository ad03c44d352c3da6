import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundRandom
import PlaygroundRuns

/// One `playground rl gridworld` run: train a tabular agent, evaluate its greedy policy over many
/// seeded episodes next to the optimum from value iteration, and write `config.yaml`,
/// `metrics.csv`, `q_table.csv`, `policy.png`, `values.png`, `learning_curve.png` and
/// `summary.json`.
public struct GridWorldRun {
  public var config: GridWorldRunConfig
  public var outputDirectory: URL
  public var quiet = false

  public init(config: GridWorldRunConfig, outputDirectory: URL) {
    self.config = config
    self.outputDirectory = outputDirectory
  }

  /// The folder under the output directory: `rl-gridworld` unless a scenario names another.
  public var scenario = "rl-gridworld"

  /// The figures a run reports.
  public struct Outcome {
    public let folder: RunFolder
    public let evaluation: GreedyEvaluation
    public let optimalEvaluation: GreedyEvaluation
    /// The best success probability within the step limit (finite-horizon planning).
    public let bestSuccessWithinLimit: Double
  }

  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> Outcome {
    let started = Date()
    try config.agent.validate()
    let settings = config.environment
    let env: TimeLimit<GridWorld>
    do {
      env = try GridWorld.make(settings)
    } catch let error as EnvironmentError {
      throw RunError(error.description)
    }
    let world = env.wrapped
    let agentConfig = config.agent
    let isGoal: (Int) -> Bool = { world.map.cells[$0] == .goal }

    // The planning baseline.
    let (optimalValues, optimalPolicy) = TabularPlanning.valueIteration(
      world.transitions, gamma: agentConfig.discount)
    let bestWithinLimit = TabularPlanning.bestSuccessProbability(
      world.transitions, from: world.map.start, horizon: settings.stepLimit)

    let generator = RandomGenerator(seed: agentConfig.seed)
    let agent = TabularAgent(
      stateCount: world.stateCount, actionCount: env.actionCount, config: agentConfig,
      generator: generator.derived(stream: 2))
    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: agentConfig.seed)
    do {
      try folder.write(config.yaml(), to: "config.yaml")
      if !quiet {
        say(
          "\(settings.name): \(world.map.rows)×\(world.map.columns) grid, \(agentConfig.algorithm.rawValue), \(agentConfig.episodes) episodes"
        )
      }
      let progress = ProgressLine(total: agentConfig.episodes, unit: "episode", quiet: quiet)
      var recentReturn = 0.0
      var recentSuccess = 0.0
      let trainStart = Date()
      let records = TabularTrainer.train(env, agent: agent, generator: generator, isGoal: isGoal) {
        episode, record in
        // Exponential moving averages over about 100 episodes, for the progress line.
        recentReturn += (record.episodeReturn - recentReturn) * 0.01
        recentSuccess += ((record.succeeded ? 1 : 0) - recentSuccess) * 0.01
        progress.update(
          episode + 1,
          metrics: [
            ("return", recentReturn), ("success", recentSuccess), ("epsilon", record.epsilon),
          ])
      }
      let trainSeconds = Date().timeIntervalSince(trainStart)
      progress.finish(metrics: [("return", recentReturn), ("success", recentSuccess)])
      let steps = records.reduce(0) { $0 + $1.length }

      var metrics = MetricsLog(columns: ["episode", "return", "length", "epsilon", "success"])
      for (index, record) in records.enumerated() {
        metrics.append([
          Double(index + 1), record.episodeReturn, Double(record.length), record.epsilon,
          record.succeeded ? 1 : 0,
        ])
      }
      try folder.write(metrics.csv, to: "metrics.csv")

      let evaluationSeed = generator.derived(stream: 3).seed
      let evaluation = TabularTrainer.evaluate(
        env, policy: agent.policy, episodes: agentConfig.evaluationEpisodes, seed: evaluationSeed,
        isGoal: isGoal)
      let optimal = TabularTrainer.evaluate(
        env, policy: optimalPolicy, episodes: agentConfig.evaluationEpisodes, seed: evaluationSeed,
        isGoal: isGoal)

      try folder.write(agent.csv(actionNames: settings.actions), to: "q_table.csv")
      try PNG.write(
        GridWorldPictures.policy(
          world, policy: agent.policy,
          title: "\(settings.name.uppercased()): GREEDY POLICY (\(agentConfig.algorithm.rawValue))"),
        to: folder.url(for: "policy.png"))
      try PNG.write(
        GridWorldPictures.values(world, learned: agent.q.map { $0.max()! }, optimal: optimalValues),
        to: folder.url(for: "values.png"))
      try PNG.write(
        learningCurve(records, name: settings.name), to: folder.url(for: "learning_curve.png"))

      var summary = Summary(for: folder)
      summary["environment"] = settings.name
      summary["agent"] = agentConfig.algorithm.rawValue
      summary["seed"] = agentConfig.seed
      summary["episodes"] = agentConfig.episodes
      summary["environment_steps"] = steps
      summary["train_seconds"] = trainSeconds
      summary["steps_per_second"] = Double(steps) / max(trainSeconds, 1e-9)
      summary["episodes_per_second"] = Double(agentConfig.episodes) / max(trainSeconds, 1e-9)
      summary["evaluation_episodes"] = agentConfig.evaluationEpisodes
      summary["greedy_success_rate"] = evaluation.successRate
      summary["greedy_mean_return"] = evaluation.meanReturn
      summary["greedy_mean_length"] = evaluation.meanLength
      summary["optimal_policy_success_rate"] = optimal.successRate
      summary["optimal_policy_mean_return"] = optimal.meanReturn
      summary["best_success_within_step_limit"] = bestWithinLimit
      summary["optimal_start_value"] = optimalValues[world.map.start]
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()

      say(
        String(
          format:
            "greedy policy over %d episodes: success %.3f, mean return %.3f, mean length %.1f",
          evaluation.episodes, evaluation.successRate, evaluation.meanReturn, evaluation.meanLength)
      )
      say(
        String(
          format:
            "optimal (value iteration, γ %.3g): success %.3f, mean return %.3f; best success within %d steps %.3f",
          agentConfig.discount, optimal.successRate, optimal.meanReturn, settings.stepLimit,
          bestWithinLimit))
      say("run saved to \(folder.finalURL.path)")
      return Outcome(
        folder: folder, evaluation: evaluation, optimalEvaluation: optimal,
        bestSuccessWithinLimit: bestWithinLimit)
    } catch {
      folder.discard()
      throw error
    }
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
    var returns = LineChart(
      title: "\(name.uppercased()): RETURN", xLabel: "EPISODE",
      yLabel: "RETURN (MOVING AVERAGE OF \(window))",
      series: [
        .init(
          name: "return", color: LineChart.palette[0],
          points: movingAverage(records.map(\.episodeReturn)))
      ])
    returns.height = 300
    var success = LineChart(
      title: "SUCCESS RATE AND EPSILON", xLabel: "EPISODE",
      yLabel: "SHARE (MOVING AVERAGE OF \(window))",
      series: [
        .init(
          name: "success", color: LineChart.palette[2],
          points: movingAverage(records.map { $0.succeeded ? 1 : 0 })),
        .init(
          name: "epsilon", color: LineChart.palette[1],
          points: movingAverage(records.map(\.epsilon))),
      ])
    success.height = 300
    success.yRange = 0...1
    let top = returns.render()
    let bottom = success.render()
    var image = Image(width: top.width, height: top.height + bottom.height, fill: [255, 255, 255])
    image.draw(top, atX: 0, y: 0)
    image.draw(bottom, atX: 0, y: top.height)
    return image
  }
}

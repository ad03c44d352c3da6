import Foundation
import PlaygroundAgents
import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns
import Yams

/// One `playground rl cartpole` run with DQN: train until solved or out of steps, then write
/// `config.yaml` (environment: and agent: sections), `metrics.csv` (per episode), `eval.csv`,
/// `learning_curve.png`, `model.safetensors`, `episode.png` and `summary.json`.
public struct CartPoleRun: NamedRunKind, ComputeRunJob {
  public var environment: CartPoleSettings
  public var agent: DQNConfig

  public init(environment: CartPoleSettings, agent: DQNConfig) {
    self.environment = environment
    self.agent = agent
  }

  /// Reads a run's `config.yaml` (environment: and agent: sections).
  public init(configAt url: URL) throws {
    let sections = try SectionedConfig.read(url, sections: ["environment", "agent"])
    environment =
      try sections["environment"].map {
        try CartPoleSettings.decode(node: $0, source: url.path, defaults: CartPoleSettings())
      } ?? CartPoleSettings()
    agent =
      try sections["agent"].map {
        try DQNConfig.decode(node: $0, source: url.path, defaults: DQNConfig())
      } ?? DQNConfig()
  }

  public static let kind = "cartpole-dqn"
  public static let family = RunFamily.rl
  public static let label = "rl (cartpole)"
  public static let subjectNames = ["cartpole"]
  public static let presets = [
    RunPreset("dqn", "DQN with a replay buffer and target network (agents/dqn.yaml)")
  ]
  public static let budgetKeys = ["steps": "total_steps"]

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(
      subject: "cartpole", agent: "dqn",
      overrides: [
        "total_steps": "1500", "learning_starts": "200", "evaluation_interval": "500",
        "evaluation_episodes": "3",
      ])
  }
  public static let presentation = RunPresentation(
    curves: [.init(file: "eval.csv", x: "step", y: "mean_return")],
    headline: ["final_eval_mean_return", "solved_at_step", "episodes", "steps", "train_seconds"])

  /// The last greedy evaluation, pruned on each evaluation; and how soon it solved (a run that
  /// never solves counts the steps it ran), pruned on the best evaluation so far — how close it
  /// has come to solving, which a DQN's evaluations, rising and falling, tell poorly one by one.
  public static let objectives = [
    RunObjective(
      "final_eval_mean_return", higherIsBetter: true, progress: ("eval_mean_return", true),
      unit: "step"),
    RunObjective(
      "solved_at_step", higherIsBetter: false, progress: ("best_eval_mean_return", true),
      fallback: "steps", unit: "step"),
  ]

  public var defaultName: String { "rl-cartpole" }
  /// The agent's settings (overrides change the agent, not the physics).
  public var settings: DQNConfig {
    get { agent }
    set { agent = newValue }
  }

  /// A cart-pole (by name or a physics file) with `dqn`, no agent, or a DQN settings file.
  /// A cart-pole with any agent but the tabular baseline's.
  public static func claims(subject: String?, agent: String?, resolve: (String) -> URL?) -> Bool {
    CartPolePhysics.namesCartPole(subject, resolve: resolve)
      && !CartPolePhysics.namesTabularAgent(agent, resolve: resolve)
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> CartPoleRun?
  {
    guard let physics = try CartPolePhysics.named(subject, resolve: resolve) else { return nil }
    switch agent {
    case nil, "dqn": return CartPoleRun(environment: physics, agent: DQNConfig())
    case let path?:
      guard resolve(path) != nil else {
        throw NameError(
          .agent, "unknown agent '\(path)': use dqn, q-learning or the path of a .yaml")
      }
      return CartPoleRun(
        environment: physics, agent: try readAgent(path, resolve: resolve, defaults: DQNConfig()))
    }
  }

  public func validate() throws {
    try environment.validate()
    try agent.validate()
  }

  /// The text of `config.yaml`.
  public func configYAML() throws -> String {
    SectionedConfig.text([("environment", try environment.yaml()), ("agent", try agent.yaml())])
  }

  public func runResolved(in context: RunContext) throws -> URL {
    let started = Date()
    let sizes = try networkSizes(forDQNs: 1)
    let generator = RandomGenerator(seed: agent.seed)
    let dqn = DQNAgent(
      observationSize: sizes[0], actionCount: sizes.last!, config: agent, generator: generator)
    let folder = try context.newFolder(for: self)
    let result = try folder.perform(config: configYAML()) { folder in
      context.progress(
        "CartPole-v1, DQN \(sizes.map(String.init).joined(separator: "→")), up to \(agent.totalSteps) steps"
      )
      let (result, trainSeconds) = try train(dqn, generator: generator, in: folder, context)
      try write(
        result, network: dqn.online, sizes: sizes, trainSeconds: trainSeconds, started: started,
        in: folder)
      return (result, trainSeconds)
    }
    report(result.0, seconds: result.1, say: context.say)
    context.say("run saved to \(folder.finalURL.path)")
    return folder.finalURL
  }

  /// Checks the settings and that `count` DQNs fit in memory; returns the Q-network's layer
  /// widths, the observation's first and the actions' last.
  func networkSizes(forDQNs count: Int) throws -> [Int] {
    try validate()
    let probe = try CartPole(environment)
    guard case .box(let low, _) = probe.observationSpace else {
      throw RunError("cart-pole observations must be vectors")
    }
    try MemoryBudget.check(
      agent.estimatedBytes(observationSize: low.count, actionCount: probe.actionCount)
        * Double(count),
      for: count == 1
        ? "this DQN's networks, optimizer and replay buffer"
        : "\(count) DQNs' networks, optimizers and replay buffers",
      lower: count == 1
        ? "hidden_sizes or buffer_size" : "the number of seeds, hidden_sizes or buffer_size")
    return [low.count] + agent.hiddenSizes + [probe.actionCount]
  }

  /// Everything a finished run writes after training: `metrics.csv`, `eval.csv`,
  /// `learning_curve.png`, `model.safetensors`, `episode.png` and `summary.json`.
  func write(
    _ result: DQNTrainer.Result, network: Sequential, sizes: [Int], trainSeconds: Double,
    started: Date, in folder: RunFolder
  ) throws {
    try record(result, in: folder)
    try network.save(
      to: folder.url(for: "model.safetensors"),
      metadata: [
        "layer_sizes": sizes.map(String.init).joined(separator: ","), "activation": "relu",
        "format": "playground dqn",
      ])
    let policy = { (observation: [Float]) in
      withoutGradient {
        network(Tensor(shape: [1, observation.count], scalars: observation)).argmaxLastAxis()[0]
      }
    }
    try folder.write(
      picture:
        CartPolePictures.episode(
          settings: environment, seed: RandomGenerator(seed: agent.seed).derived(stream: 5).seed,
          policy: policy), to: "episode.png")
    var summary = summary(result, sizes: sizes, folder: folder)
    summary["train_seconds"] = trainSeconds
    summary["steps_per_second"] = Double(result.steps) / max(trainSeconds, 1e-9)
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
  }

  private func train(
    _ dqn: DQNAgent, generator: RandomGenerator, in folder: RunFolder, _ context: RunContext
  ) throws -> (DQNTrainer.Result, Double) {
    let progress = ProgressLine(total: agent.totalSteps, unit: "step", quiet: context.quiet)
    var recent: [Double] = []
    var lastLoss = Double.nan
    let trainStart = Date()
    let settings = environment
    var seen: [DQNEpisode] = []
    var evaluations: [DQNEvaluation] = []
    let result: DQNTrainer.Result
    do {
      result = try DQNTrainer.train(
        { try CartPole.make(settings) }, agent: dqn, generator: generator
      ) { step, episode in
        if let episode {
          seen.append(episode)
          // Shown in TensorBoard as each episode ends; the table is written at the end.
          try folder.show(
            row: Self.row(seen.count, episode), columns: Self.metricsColumns, of: "metrics.csv")
        }
        report(step, episode)
      } onEvaluation: { evaluation in
        evaluations.append(evaluation)
        try folder.show(
          row: Self.row(evaluation), columns: Self.evaluationColumns, of: "eval.csv")
        progress.note(
          String(
            format: "step %6d: greedy evaluation %.1f ± %.1f over %d episodes (%.1f s)",
            evaluation.step, evaluation.meanReturn, evaluation.standardDeviation,
            agent.evaluationEpisodes, progress.elapsed))
        try context.report(
          budget: Double(evaluation.step),
          [
            "eval_mean_return": evaluation.meanReturn,
            "best_eval_mean_return": evaluations.map(\.meanReturn).max()!,
          ])
      }
    } catch let error as RunError where error.isDivergence {
      // Kept with status diverged: the episodes up to there.
      try folder.write(metrics: Self.metrics(seen), to: "metrics.csv")
      throw error
    } catch let pruned as RunPruned {
      // Kept with status pruned: the episodes and evaluations up to there.
      try folder.write(metrics: Self.metrics(seen), to: "metrics.csv")
      try folder.write(metrics: Self.evaluations(evaluations), to: "eval.csv")
      throw pruned
    }
    return (result, Date().timeIntervalSince(trainStart))

    func report(_ step: Int, _ episode: DQNEpisode?) {
      if let episode {
        recent.append(episode.episodeReturn)
        if recent.count > 100 { recent.removeFirst() }
        if episode.meanLoss.isFinite { lastLoss = episode.meanLoss }
      }
      progress.update(
        step,
        metrics: [
          ("episodes", Double(recent.count)),
          ("mean_return_100", recent.isEmpty ? 0 : recent.reduce(0, +) / Double(recent.count)),
          ("epsilon", agent.epsilon(atStep: step)), ("loss", lastLoss),
        ])
    }
  }

  static let metricsColumns = ["episode", "step", "return", "length", "epsilon", "loss"]
  static let evaluationColumns = ["step", "mean_return", "std_return"]

  /// One row per episode: episode, step, return, length, epsilon, loss.
  static func metrics(_ episodes: [DQNEpisode]) -> MetricsLog {
    var metrics = MetricsLog(columns: metricsColumns)
    for (index, episode) in episodes.enumerated() { metrics.append(row(index + 1, episode)) }
    return metrics
  }

  /// The row of the `number`th episode.
  private static func row(_ number: Int, _ episode: DQNEpisode) -> [Double] {
    [
      Double(number), Double(episode.step), episode.episodeReturn, Double(episode.length),
      episode.epsilon, episode.meanLoss,
    ]
  }

  /// One row per greedy evaluation: step, mean_return, std_return.
  static func evaluations(_ evaluations: [DQNEvaluation]) -> MetricsLog {
    var table = MetricsLog(columns: evaluationColumns)
    for evaluation in evaluations { table.append(row(evaluation)) }
    return table
  }

  private static func row(_ evaluation: DQNEvaluation) -> [Double] {
    [Double(evaluation.step), evaluation.meanReturn, evaluation.standardDeviation]
  }

  /// `metrics.csv` (per episode), `eval.csv` and `learning_curve.png`.
  private func record(_ result: DQNTrainer.Result, in folder: RunFolder) throws {
    try folder.write(metrics: Self.metrics(result.episodes), to: "metrics.csv")
    try folder.write(metrics: Self.evaluations(result.evaluations), to: "eval.csv")
    try folder.write(picture: learningCurve(result), to: "learning_curve.png")
  }

  private func summary(_ result: DQNTrainer.Result, sizes: [Int], folder: RunFolder) -> Summary {
    let final = result.evaluations.last
    var summary = Summary(for: folder, extraVersions: Compute.versions(of: Compute.settings))
    summary["agent"] = "dqn"
    summary["seed"] = agent.seed
    summary["solved"] = result.solvedAtStep != nil
    summary["solved_at_step"] = result.solvedAtStep ?? NSNull()
    summary["steps"] = result.steps
    summary["episodes"] = result.episodes.count
    summary["final_eval_mean_return"] = final?.meanReturn ?? NSNull()
    summary["final_eval_std_return"] = final?.standardDeviation ?? NSNull()
    summary["evaluation_episodes"] = agent.evaluationEpisodes
    summary["network"] = [
      "layer_sizes": sizes, "activation": "relu",
      "weights": "layers.<i>.weight [out, in], layers.<i>.bias",
    ]
    return summary
  }

  private func report(_ result: DQNTrainer.Result, seconds: Double, say: (String) -> Void) {
    let final = result.evaluations.last
    let outcome =
      result.solvedAtStep.map { "solved at step \($0)" }
      ?? "\(result.steps) steps, not solved (mean return below \(agent.solvedReturn))"
    say(
      String(
        format: "%@ in %.1f s: greedy evaluation %.1f ± %.1f over %d episodes", outcome,
        seconds, final?.meanReturn ?? 0, final?.standardDeviation ?? 0,
        agent.evaluationEpisodes))
  }

  func learningCurve(_ result: DQNTrainer.Result) -> Image {
    var returns: [(x: Double, y: Double)] = []
    var window: [Double] = []
    for episode in result.episodes {
      window.append(episode.episodeReturn)
      if window.count > 20 { window.removeFirst() }
      returns.append((Double(episode.step), window.reduce(0, +) / Double(window.count)))
    }
    var chart = LineChart(
      title: "CARTPOLE-V1: DQN", xLabel: "ENVIRONMENT STEP", yLabel: "RETURN",
      series: [
        .init(name: "training (mean of 20 episodes)", color: LineChart.palette[0], points: returns),
        .init(
          name: "greedy evaluation", color: LineChart.palette[3],
          points: result.evaluations.map { (Double($0.step), $0.meanReturn) }),
      ])
    chart.yRange = 0...510
    return chart.render()
  }
}

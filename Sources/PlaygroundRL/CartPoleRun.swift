import Foundation
import PlaygroundAgents
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

/// One `playground rl cartpole` run with DQN: train until solved or out of steps, then write
/// `config.yaml` (environment: and agent: sections), `metrics.csv` (per episode), `eval.csv`,
/// `learning_curve.png`, `model.safetensors`, `episode.png` and `summary.json`.
public struct CartPoleRun {
  public var environment: CartPoleSettings
  public var agent: DQNConfig
  public var outputDirectory: URL
  public var quiet = false

  public init(environment: CartPoleSettings, agent: DQNConfig, outputDirectory: URL) {
    self.environment = environment
    self.agent = agent
    self.outputDirectory = outputDirectory
  }

  /// The folder under the output directory: `rl-cartpole` unless a scenario names another.
  public var scenario = "rl-cartpole"

  /// The text of `config.yaml`.
  public func configYAML() throws -> String {
    SectionedConfig.text([("environment", try environment.yaml()), ("agent", try agent.yaml())])
  }

  /// The settings of a run's `config.yaml`.
  public static func readConfig(_ url: URL) throws -> (
    environment: CartPoleSettings, agent: DQNConfig
  ) {
    let sections = try SectionedConfig.read(url, sections: ["environment", "agent"])
    let environment =
      try sections["environment"].map {
        try CartPoleSettings.decode(node: $0, source: url.path, defaults: CartPoleSettings())
      } ?? CartPoleSettings()
    let agent =
      try sections["agent"].map {
        try DQNConfig.decode(node: $0, source: url.path, defaults: DQNConfig())
      } ?? DQNConfig()
    return (environment, agent)
  }

  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> (
    folder: RunFolder, result: DQNTrainer.Result
  ) {
    let started = Date()
    try environment.validate()
    try agent.validate()
    let settings = environment
    let probe = try CartPole(settings)
    guard case .box(let low, _) = probe.observationSpace else {
      throw RunError("cart-pole observations must be vectors")
    }
    let generator = RandomGenerator(seed: agent.seed)
    let dqn = DQNAgent(
      observationSize: low.count, actionCount: probe.actionCount, config: agent,
      generator: generator)
    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: agent.seed)
    do {
      try folder.write(configYAML(), to: "config.yaml")
      if !quiet {
        say(
          "CartPole-v1, DQN \(([low.count] + agent.hiddenSizes + [probe.actionCount]).map(String.init).joined(separator: "→")), up to \(agent.totalSteps) steps"
        )
      }
      let progress = ProgressLine(total: agent.totalSteps, unit: "step", quiet: quiet)
      var recent: [Double] = []
      var lastLoss = Double.nan
      let trainStart = Date()
      let result = try DQNTrainer.train(
        { try CartPole.make(settings) }, agent: dqn, generator: generator
      ) { step, episode in
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
      } onEvaluation: { evaluation in
        progress.note(
          String(
            format: "step %6d: greedy evaluation %.1f ± %.1f over %d episodes (%.1f s)",
            evaluation.step,
            evaluation.meanReturn, evaluation.standardDeviation, agent.evaluationEpisodes,
            progress.elapsed))
      }
      let trainSeconds = Date().timeIntervalSince(trainStart)

      var metrics = MetricsLog(columns: ["episode", "step", "return", "length", "epsilon", "loss"])
      for (index, episode) in result.episodes.enumerated() {
        metrics.append([
          Double(index + 1), Double(episode.step), episode.episodeReturn, Double(episode.length),
          episode.epsilon, episode.meanLoss,
        ])
      }
      try folder.write(metrics.csv, to: "metrics.csv")
      var evaluations = MetricsLog(columns: ["step", "mean_return", "std_return"])
      for evaluation in result.evaluations {
        evaluations.append([
          Double(evaluation.step), evaluation.meanReturn, evaluation.standardDeviation,
        ])
      }
      try folder.write(evaluations.csv, to: "eval.csv")
      try PNG.write(learningCurve(result), to: folder.url(for: "learning_curve.png"))

      let sizes = [low.count] + agent.hiddenSizes + [probe.actionCount]
      try dqn.online.save(
        to: folder.url(for: "model.safetensors"),
        metadata: [
          "layer_sizes": sizes.map(String.init).joined(separator: ","), "activation": "relu",
          "format": "playground dqn",
        ])

      // A film strip of one greedy episode.
      let watch = try CartPole(settings)
      _ = watch.reset(seed: generator.derived(stream: 5).seed)
      var states = [watch.state]
      while states.count <= settings.stepLimit {
        let step = watch.step(dqn.greedyActions(watch.observation)[0])
        states.append(watch.state)
        if step.terminated { break }
      }
      try PNG.write(
        CartPolePictures.filmStrip(
          states: states, settings: settings, every: max(1, states.count / 24)),
        to: folder.url(for: "episode.png"))

      let final = result.evaluations.last
      var summary = Summary(for: folder, extraVersions: ["openblas_core": BLAS.shared.coreName])
      summary["agent"] = "dqn"
      summary["seed"] = agent.seed
      summary["solved"] = result.solvedAtStep != nil
      summary["solved_at_step"] = result.solvedAtStep ?? NSNull()
      summary["steps"] = result.steps
      summary["episodes"] = result.episodes.count
      summary["final_eval_mean_return"] = final?.meanReturn ?? NSNull()
      summary["final_eval_std_return"] = final?.standardDeviation ?? NSNull()
      summary["evaluation_episodes"] = agent.evaluationEpisodes
      summary["train_seconds"] = trainSeconds
      summary["steps_per_second"] = Double(result.steps) / max(trainSeconds, 1e-9)
      summary["network"] = [
        "layer_sizes": sizes, "activation": "relu",
        "weights": "layers.<i>.weight [out, in], layers.<i>.bias",
      ]
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()
      let outcome =
        result.solvedAtStep.map { "solved at step \($0)" }
        ?? "\(result.steps) steps, not solved (mean return below \(agent.solvedReturn))"
      say(
        String(
          format: "%@ in %.1f s: greedy evaluation %.1f ± %.1f over %d episodes", outcome,
          trainSeconds, final?.meanReturn ?? 0, final?.standardDeviation ?? 0,
          agent.evaluationEpisodes))
      say("run saved to \(folder.finalURL.path)")
      return (folder, result)
    } catch {
      folder.discard()
      throw error
    }
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

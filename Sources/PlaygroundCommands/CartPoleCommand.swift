import ArgumentParser
import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundKinds
import PlaygroundNN
import PlaygroundRuns
import PlaygroundScenarios

/// `playground rl cartpole`: DQN on CartPole-v1 until solved.
struct CartPoleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cartpole",
    abstract: "DQN on CartPole-v1 until solved (mean greedy return ≥ 475 over 100 episodes).",
    discussion: """
      Trains with a progress line, evaluates the greedy policy every evaluation_interval steps and stops once solved. The run folder gets config.yaml, metrics.csv (per episode), eval.csv, learning_curve.png, model.safetensors (layers.<i>.weight as [out, in]), episode.png (a film strip of one greedy episode) and summary.json. Physics: environments/cartpole.yaml; hyper-parameters: agents/dqn.yaml.

      Examples:
        playground rl cartpole
        playground rl cartpole --steps 20000 --seed 3
        playground rl cartpole --agent agents/dqn.yaml
        playground rl cartpole --agent q-learning          # the discretised tabular baseline
        playground rl cartpole --seeds 0-31                # 32 DQNs at once, one process
        playground rl cartpole --watch outputs/rl-cartpole/latest/model.safetensors

      Without options, the same as 'playground run scenarios/rl-cartpole.yaml'.
      """)

  @Option(
    help:
      "dqn, q-learning (discretised, agents/cartpole-q-learning.yaml), or the path of a DQN settings .yaml."
  )
  var agent: String?

  @Option(help: "Environment steps of DQN training (the budget).")
  var steps: Int?

  @Option(help: "Physics settings (.yaml, the keys of environments/cartpole.yaml).")
  var environment: String?

  @Option(
    help: "A run's config.yaml (environment: and agent: sections); other options override it.")
  var config: String?

  @Option(help: "Replay one greedy episode of a saved model in the terminal instead of training.")
  var watch: String?

  @Option(
    help:
      "Train these seeds at once in this process (e.g. 0-31 or 0,4,9): one run folder each, and <output>/rl-cartpole/batch/ with their aggregates."
  )
  var seeds: String?

  func validate() throws {
    if let seeds, SeedList(argument: seeds) == nil {
      throw ValidationError(
        "--seeds takes seeds like 0-31, 0,4,9 or 0-3,10 (whole numbers, low-high ranges, none twice, at most 4096), got '\(seeds)'"
      )
    }
  }

  @OptionGroup var runOptions: RunOptions
  @OptionGroup var compute: ComputeOptions

  /// The job a scenario with `environment: cartpole` and this agent gives (a run's config.yaml
  /// instead when given), with the physics file and the flags over it.
  func job() throws -> any NamedRunKind {
    var job: any CartPoleJob
    if let config {
      job = try CartPolePhysics.job(configAt: URL(fileURLWithPath: config))
    } else {
      guard let named = try RunKinds.job(.rl, subject: "cartpole", agent: agent) as? any CartPoleJob
      else { throw RunError("--agent \(agent ?? ""): not an agent for cart-pole") }
      job = named
    }
    if let environment {
      job.environment = try CartPoleSettings.read(
        URL(fileURLWithPath: environment), defaults: CartPoleSettings())
    }
    let budget = type(of: job).budgetKeys
    if steps != nil && budget["steps"] == nil {
      throw RunError(
        "--steps is DQN's budget; this agent counts \(budget.keys.sorted().joined(separator: " or ")): set that in its agent file (agents/cartpole-q-learning.yaml)"
      )
    }
    var overrides = Overrides()
    overrides["total_steps"] = steps
    overrides["seed"] = runOptions.seed
    compute.add(to: &overrides)
    return try overrides.applied(to: job)
  }

  func run() throws {
    let job = try job()
    if let seeds {
      try runBatch(job, seeds: SeedList(argument: seeds)!.values)
      return
    }
    if let watch {
      guard let replayable = job as? any ReplayableRun else {
        throw RunError("--watch replays a DQN model; drop --agent q-learning")
      }
      try replayable.replay(model: URL(fileURLWithPath: watch))
      return
    }
    _ = try job.run(in: runOptions.context(for: job))
  }

  /// `--seeds`: every seed trained at once, then the batch's aggregates beside the runs.
  private func runBatch(_ job: any NamedRunKind, seeds: [UInt64]) throws {
    guard watch == nil, runOptions.seed == nil else {
      throw ValidationError("--seeds trains several seeds: drop --seed and --watch")
    }
    guard let batched = job as? any BatchedSeedsRun else {
      throw RunError("--seeds trains DQN seeds at once; drop --agent q-learning")
    }
    try SeedBatchSummary.train(batched, seeds: seeds, in: runOptions.context(for: job))
  }
}

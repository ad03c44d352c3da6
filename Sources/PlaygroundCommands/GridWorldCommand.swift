import ArgumentParser
import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios

/// `playground rl gridworld`: tabular Q-learning, SARSA or expected SARSA on a grid world.
struct GridWorldCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gridworld",
    abstract:
      "Tabular Q-learning, SARSA or expected SARSA on FrozenLake, CliffWalking or your own map.",
    discussion: """
      Trains, then runs the greedy policy for evaluation_episodes seeded episodes and prints its success rate and mean return beside the optimum from value iteration. The run folder gets config.yaml, metrics.csv (per episode), q_table.csv, policy.png, values.png, learning_curve.png and summary.json. Maps: environments/*.yaml, or a .txt map (S start, F or . free, H hole, G goal, C cliff, # wall). --seeds trains several seeds' agents at once in this process (their grid worlds stepped together as one vector environment), each seed's run folder the same as that seed's run alone, and writes the batch's aggregates to <output>/rl-gridworld/batch/.

      Examples:
        playground rl gridworld                                   # FrozenLake 8×8, Q-learning
        playground rl gridworld --map frozenlake4x4 --episodes 20000
        playground rl gridworld --map cliffwalking --agent sarsa --episodes 2000
        playground rl gridworld --map my-maze.txt --agent agents/expected-sarsa.yaml
        playground rl gridworld --seeds 0-31                      # 32 agents at once, one process
        playground rl gridworld --config outputs/rl-gridworld/latest/config.yaml

      Without options, the same as 'playground run scenarios/rl-gridworld.yaml'.
      """)

  @Option(help: "frozenlake8x8, frozenlake4x4, cliffwalking, or the path of a .yaml or .txt map.")
  var map: String?

  @Option(help: "q-learning, sarsa, expected-sarsa, or the path of an agent .yaml.")
  var agent: String?

  @Option(help: "Training episodes.")
  var episodes: Int?

  @Option(
    help: "A run's config.yaml (environment: and agent: sections); other options override it.")
  var config: String?

  @Option(
    help:
      "Train these seeds at once in this process (e.g. 0-31 or 0,4,9): one run folder each, and <output>/rl-gridworld/batch/ with their aggregates."
  )
  var seeds: String?

  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    if let seeds, SeedList(argument: seeds) == nil {
      throw ValidationError(
        "--seeds takes seeds like 0-31, 0,4,9 or 0-3,10 (whole numbers, low-high ranges, none twice, at most 4096), got '\(seeds)'"
      )
    }
    if seeds != nil, runOptions.seed != nil {
      throw ValidationError("--seeds trains several seeds: drop --seed")
    }
  }

  /// A run's config.yaml (or FrozenLake 8×8 with the default agent), the map and agent named
  /// as a scenario names them (an algorithm's name is an override of `algorithm`), then the
  /// flags as overrides.
  func job() throws -> GridWorldRun {
    var job = GridWorldRun(
      config: GridWorldRunConfig(
        environment: GridWorldCatalog.frozenLake8x8, agent: TabularAgentConfig()))
    if let config { job = try GridWorldRun(configAt: URL(fileURLWithPath: config)) }
    var overrides = Overrides()
    if let map { job.config.environment = try GridWorldCatalog.settings(for: map) }
    if let agent {
      if let algorithm = TabularAlgorithm(rawValue: agent.lowercased()) {
        overrides["algorithm"] = algorithm.rawValue
      } else {
        guard
          let named = try GridWorldRun.job(
            subject: map ?? "frozenlake8x8", agent: agent, resolve: RunKinds.existingFile)
        else { throw RunError("--agent \(agent) is not a grid-world agent") }
        job.config.agent = named.config.agent
      }
    }
    overrides["episodes"] = episodes
    overrides["seed"] = runOptions.seed
    job = try overrides.applied(to: job)
    try job.config.environment.validate()
    return job
  }

  func run() throws {
    let job = try job()
    if let seeds = seeds.flatMap(SeedList.init(argument:)) {
      try SeedBatchSummary.train(job, seeds: seeds.values, in: runOptions.context(for: job))
      return
    }
    _ = try job.run(in: runOptions.context(for: job))
  }
}

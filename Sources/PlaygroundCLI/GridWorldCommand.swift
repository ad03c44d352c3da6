import ArgumentParser
import Foundation
import PlaygroundAgents
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundRL
import PlaygroundRuns
import PlaygroundScenarios

/// `playground rl gridworld`: tabular Q-learning, SARSA or expected SARSA on a grid world.
struct GridWorldCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gridworld",
    abstract:
      "Tabular Q-learning, SARSA or expected SARSA on FrozenLake, CliffWalking or your own map.",
    discussion: """
      Trains, then runs the greedy policy for evaluation_episodes seeded episodes and prints its success rate and mean return beside the optimum from value iteration. The run folder gets config.yaml, metrics.csv (per episode), q_table.csv, policy.png, values.png, learning_curve.png and summary.json. Maps: environments/*.yaml, or a .txt map (S start, F or . free, H hole, G goal, C cliff, # wall).

      Examples:
        playground rl gridworld                                   # FrozenLake 8×8, Q-learning
        playground rl gridworld --map frozenlake4x4 --episodes 20000
        playground rl gridworld --map cliffwalking --agent sarsa --episodes 2000
        playground rl gridworld --map my-maze.txt --agent agents/expected-sarsa.yaml
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

  @OptionGroup var runOptions: RunOptions

  func settings() throws -> GridWorldRunConfig {
    var settings = GridWorldRunConfig(
      environment: GridWorldCatalog.frozenLake8x8, agent: TabularAgentConfig())
    if let config { settings = try GridWorldRunConfig.read(URL(fileURLWithPath: config)) }
    if let map { settings.environment = try GridWorldCatalog.settings(for: map) }
    if let agent {
      if let algorithm = TabularAlgorithm(rawValue: agent.lowercased()) {
        settings.agent.algorithm = algorithm
      } else if FileManager.default.fileExists(atPath: agent) {
        settings.agent = try TabularAgentConfig.read(
          URL(fileURLWithPath: agent), defaults: TabularAgentConfig())
      } else {
        throw RunError(
          "unknown agent '\(agent)': use \(TabularAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")) or the path of an agent .yaml"
        )
      }
    }
    if let episodes { settings.agent.episodes = episodes }
    if let seed = runOptions.seed { settings.agent.seed = seed }
    try settings.agent.validate()
    try settings.environment.validate()
    return settings
  }

  func run() throws {
    try ScenarioJob.gridWorld(try settings()).run(
      outputDirectory: runOptions.outputURL, sources: DataSources.fromEnvironment(),
      quiet: runOptions.quiet)
  }
}

import ArgumentParser

/// `playground rl …`: reinforcement-learning agents on Gymnasium-style environments.
struct RLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rl",
    abstract: "Train reinforcement-learning agents and compare them with the optimum.",
    discussion: """
      Examples:
        playground rl gridworld
        playground rl gridworld --map cliffwalking --agent sarsa --episodes 2000
        playground rl cartpole
      """,
    subcommands: [GridWorldCommand.self, CartPoleCommand.self])
}

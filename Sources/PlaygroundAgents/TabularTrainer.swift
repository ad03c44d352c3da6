import PlaygroundEnvironments
import PlaygroundRandom

/// One training episode's figures.
public struct EpisodeRecord: Sendable, Equatable {
  public let episodeReturn: Double
  public let length: Int
  public let epsilon: Double
  /// Whether it ended on a rewarding terminal step (reached a goal).
  public let succeeded: Bool
}

/// What a greedy policy does over many seeded episodes.
public struct GreedyEvaluation: Sendable, Equatable {
  public let episodes: Int
  /// The share of episodes that reached a goal within the time limit.
  public let successRate: Double
  public let meanReturn: Double
  public let meanLength: Double
}

/// Trains a ``TabularAgent`` on a discrete environment, one episode at a time, and evaluates its
/// greedy policy.
public enum TabularTrainer {
  /// Runs `config.episodes` episodes; `onEpisode(index, record)` follows along.
  /// - Parameters:
  ///   - generator: seeds the environment (stream 1); the agent has its own.
  ///   - isGoal: whether a terminal state is a success; by default, a terminal step with a
  ///     positive reward.
  @discardableResult
  public static func train<E: Environment>(
    _ env: E, agent: TabularAgent, generator: RandomGenerator, isGoal: ((Int) -> Bool)? = nil,
    onEpisode: (Int, EpisodeRecord) throws -> Void = { _, _ in }
  ) rethrows -> [EpisodeRecord] where E.Observation == Int {
    let config = agent.config
    var records: [EpisodeRecord] = []
    records.reserveCapacity(config.episodes)
    var state = env.reset(seed: generator.derived(stream: 1).seed)
    for episode in 0..<config.episodes {
      if episode > 0 { state = env.reset() }
      let epsilon = config.epsilon(atEpisode: episode)
      let learningRate = config.learningRate(atEpisode: episode)
      var action = agent.action(state, epsilon: epsilon)
      var total = 0.0
      var length = 0
      while true {
        let step = env.step(action)
        let nextAction = agent.action(step.observation, epsilon: epsilon)
        agent.update(
          state: state, action: action, reward: step.reward, nextState: step.observation,
          nextAction: nextAction, terminated: step.terminated, learningRate: learningRate,
          epsilon: epsilon)
        total += step.reward
        length += 1
        state = step.observation
        action = nextAction
        if step.isDone {
          let record = EpisodeRecord(
            episodeReturn: total, length: length, epsilon: epsilon,
            succeeded: step.terminated && (isGoal?(step.observation) ?? (step.reward > 0)))
          records.append(record)
          try onEpisode(episode, record)
          break
        }
      }
    }
    return records
  }

  /// Runs `policy` greedily for `episodes` episodes from seed `seed`, `seed + 1`, ….
  public static func evaluate<E: Environment>(
    _ env: E, policy: [Int], episodes: Int, seed: UInt64, isGoal: ((Int) -> Bool)? = nil
  ) -> GreedyEvaluation where E.Observation == Int {
    var successes = 0
    var totalReturn = 0.0
    var totalLength = 0
    for episode in 0..<episodes {
      var state = env.reset(seed: seed &+ UInt64(episode))
      while true {
        let step = env.step(policy[state])
        totalReturn += step.reward
        totalLength += 1
        state = step.observation
        if step.isDone {
          if step.terminated && (isGoal?(step.observation) ?? (step.reward > 0)) { successes += 1 }
          break
        }
      }
    }
    let n = Double(max(episodes, 1))
    return GreedyEvaluation(
      episodes: episodes, successRate: Double(successes) / n, meanReturn: totalReturn / n,
      meanLength: Double(totalLength) / n)
  }
}

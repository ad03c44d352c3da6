import PlaygroundEnvironments
import PlaygroundRandom

/// Tabular agents of many seeds trained at once: their grid worlds one ``VectorGridWorld`` (one
/// random stream per copy) stepped together, each agent with its own table, random stream and
/// episode count. Each seed's episodes, table and draws are the same as ``TabularTrainer``'s for
/// that seed alone, whatever other seeds share the batch: a copy whose episode ended is reset on
/// its next step (Gymnasium's next-step autoreset) without drawing, as `reset()` does, and a
/// copy that finished all its episodes steps on, ignored.
public enum TabularSeedBatchTrainer {
  /// Trains `agents[i]` on copy `i` of `environment`, whose random stream starts from
  /// `environmentSeeds[i]` (a single run's `generator.derived(stream: 1).seed`); returns each
  /// agent's episodes. `onEpisode(i, episode, record)` follows along.
  /// - Parameter isGoal: whether a terminal state is a success (as for ``TabularTrainer``).
  public static func train(
    _ environment: VectorGridWorld, agents: [TabularAgent], environmentSeeds: [UInt64],
    isGoal: ((Int) -> Bool)? = nil,
    onEpisode: (Int, Int, EpisodeRecord) -> Void = { _, _, _ in }
  ) -> [[EpisodeRecord]] {
    let count = agents.count
    precondition(
      environment.environmentCount == count && environmentSeeds.count == count,
      "one copy of the environment and one seed per agent")
    environment.autoreset = .nextStep
    environment.reset(seeds: environmentSeeds)
    var lanes = (0..<count).map { i in Lane(agent: agents[i], state: environment.observations[i]) }
    var actions = [Int](repeating: 0, count: count)
    for i in 0..<count where lanes[i].isTraining { actions[i] = lanes[i].firstAction() }
    var training = lanes.filter(\.isTraining).count
    while training > 0 {
      environment.step(actions)
      let (observations, rewards) = (environment.observations, environment.rewards)
      let (terminated, truncated) = (environment.terminated, environment.truncated)
      for i in 0..<count where lanes[i].isTraining {
        if lanes[i].isResetting {
          // The copy's autoreset step: the episode starts from the observation it gives.
          lanes[i].isResetting = false
          lanes[i].state = observations[i]
          actions[i] = lanes[i].firstAction()
          continue
        }
        let outcome = lanes[i].learn(
          action: actions[i], reward: rewards[i], next: observations[i],
          terminated: terminated[i], truncated: truncated[i], isGoal: isGoal)
        actions[i] = outcome.nextAction
        if let record = outcome.ended {
          onEpisode(i, lanes[i].records.count - 1, record)
          if !lanes[i].isTraining { training -= 1 }
        }
      }
    }
    return lanes.map(\.records)
  }

  /// One seed's agent and where its episode stands.
  private struct Lane {
    let agent: TabularAgent
    var state: Int
    var records: [EpisodeRecord] = []
    var total = 0.0
    var length = 0
    /// Its episode ended: the next step resets its copy.
    var isResetting = false
    let episodes: Int
    /// The episode's exploration rate and step size (set as it starts, as the single trainer
    /// sets them).
    var epsilon: Double
    var learningRate: Double

    init(agent: TabularAgent, state: Int) {
      self.agent = agent
      self.state = state
      episodes = agent.config.episodes
      epsilon = agent.config.epsilon(atEpisode: 0)
      learningRate = agent.config.learningRate(atEpisode: 0)
      records.reserveCapacity(episodes)
    }

    var isTraining: Bool { records.count < episodes }
    var episode: Int { records.count }

    /// The first action of an episode.
    func firstAction() -> Int { agent.action(state, epsilon: epsilon) }

    /// ``TabularTrainer``'s step: the next action drawn, the update, the episode's record
    /// when it ends.
    mutating func learn(
      action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool,
      isGoal: ((Int) -> Bool)?
    ) -> (nextAction: Int, ended: EpisodeRecord?) {
      let nextAction = agent.action(next, epsilon: epsilon)
      agent.update(
        state: state, action: action, reward: reward, nextState: next, nextAction: nextAction,
        terminated: terminated, learningRate: learningRate, epsilon: epsilon)
      total += reward
      length += 1
      state = next
      guard terminated || truncated else { return (nextAction, nil) }
      let record = EpisodeRecord(
        episodeReturn: total, length: length, epsilon: epsilon,
        succeeded: terminated && (isGoal?(next) ?? (reward > 0)))
      records.append(record)
      (total, length, isResetting) = (0, 0, true)
      if isTraining {
        epsilon = agent.config.epsilon(atEpisode: episode)
        learningRate = agent.config.learningRate(atEpisode: episode)
      }
      return (nextAction, record)
    }
  }
}

import PlaygroundRandom

/// A table of action values `Q[state][action]`, trained by Q-learning, SARSA or expected SARSA
/// with ε-greedy exploration.
public final class TabularAgent {
  public let config: TabularAgentConfig
  public let actionCount: Int
  /// `q[state][action]`, initialized to 0.
  public private(set) var q: [[Double]]
  private let generator: RandomGenerator

  public init(
    stateCount: Int, actionCount: Int, config: TabularAgentConfig, generator: RandomGenerator
  ) {
    precondition(stateCount > 0 && actionCount > 0, "a Q-table needs states and actions")
    self.config = config
    self.actionCount = actionCount
    q = Array(repeating: Array(repeating: 0, count: actionCount), count: stateCount)
    self.generator = generator
  }

  /// The best action in `state`, ties broken at random (so untried actions get their turn).
  public func greedyAction(_ state: Int) -> Int {
    let values = q[state]
    let best = values.max()!
    let ties = values.indices.filter { values[$0] == best }
    return ties.count == 1 ? ties[0] : ties[generator.integer(below: ties.count)]
  }

  /// A random action with probability ε, else the greedy one.
  public func action(_ state: Int, epsilon: Double) -> Int {
    generator.unitDouble() < epsilon ? generator.integer(below: actionCount) : greedyAction(state)
  }

  /// One temporal-difference update of `Q[state][action]` toward
  /// `reward + γ · bootstrap(next)`, where bootstrap is the algorithm's estimate of the next
  /// state's value; a terminated step does not bootstrap (a truncated one does).
  /// - Parameter nextAction: the action that will be taken next (SARSA needs it).
  public func update(
    state: Int, action: Int, reward: Double, nextState: Int, nextAction: Int, terminated: Bool,
    learningRate: Double, epsilon: Double
  ) {
    var target = reward
    if !terminated {
      let next = q[nextState]
      let bootstrap: Double
      switch config.algorithm {
      case .qLearning:
        bootstrap = next.max()!
      case .sarsa:
        bootstrap = next[nextAction]
      case .expectedSarsa:
        // ε-greedy: ε/|A| on every action, 1 − ε on the greedy value (shared by ties, which
        // all have that value).
        let uniform = epsilon / Double(actionCount)
        bootstrap = next.reduce(0) { $0 + uniform * $1 } + (1 - epsilon) * next.max()!
      }
      target += config.discount * bootstrap
    }
    q[state][action] += learningRate * (target - q[state][action])
  }

  /// The greedy policy (ties to the lowest action, for pictures and evaluation).
  public var policy: [Int] {
    q.map { values in
      values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
    }
  }
}

import PlaygroundRandom

/// A table of action values `Q[state][action]`, trained by Q-learning, SARSA or expected SARSA
/// with ε-greedy exploration.
public final class TabularAgent {
  public let config: TabularAgentConfig
  public let actionCount: Int
  /// The values, row by row: `table[state · actionCount + action]`, initialized to 0.
  private var table: [Double]
  private let generator: RandomGenerator

  public init(
    stateCount: Int, actionCount: Int, config: TabularAgentConfig, generator: RandomGenerator
  ) {
    precondition(stateCount > 0 && actionCount > 0, "a Q-table needs states and actions")
    self.config = config
    self.actionCount = actionCount
    table = [Double](repeating: 0, count: stateCount * actionCount)
    self.generator = generator
  }

  /// Bytes of a table of `states` × `actions` (the values, and the copy `q` and the pictures
  /// make of them, row by row), for the memory check before a run.
  public static func estimatedBytes(states: Int, actions: Int) -> Double {
    Double(states) * (Double(actions) * 8 * 2 + 64)
  }

  /// `q[state][action]`.
  public var q: [[Double]] {
    stride(from: 0, to: table.count, by: actionCount).map { Array(table[$0..<($0 + actionCount)]) }
  }

  /// The largest value in `state` and how many actions share it.
  @inline(__always)
  private func best(_ state: Int) -> (value: Double, ties: Int) {
    let base = state * actionCount
    var value = table[base]
    var ties = 1
    for a in 1..<actionCount {
      let v = table[base + a]
      if v > value {
        value = v
        ties = 1
      } else if v == value {
        ties += 1
      }
    }
    return (value, ties)
  }

  /// The best action in `state`, ties broken at random (so untried actions get their turn).
  public func greedyAction(_ state: Int) -> Int {
    let (value, ties) = best(state)
    var pick = ties == 1 ? 0 : generator.integer(below: ties)
    let base = state * actionCount
    for a in 0..<actionCount where table[base + a] == value {
      if pick == 0 { return a }
      pick -= 1
    }
    return 0
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
      let bootstrap: Double
      switch config.algorithm {
      case .qLearning:
        bootstrap = best(nextState).value
      case .sarsa:
        bootstrap = table[nextState * actionCount + nextAction]
      case .expectedSarsa:
        // ε-greedy: ε/|A| on every action, 1 − ε on the greedy value (shared by ties, which
        // all have that value).
        let base = nextState * actionCount
        var sum = 0.0
        for a in 0..<actionCount { sum += table[base + a] }
        bootstrap = epsilon / Double(actionCount) * sum + (1 - epsilon) * best(nextState).value
      }
      target += config.discount * bootstrap
    }
    let index = state * actionCount + action
    table[index] += learningRate * (target - table[index])
  }

  /// The greedy policy (ties to the lowest action, for pictures and evaluation).
  public var policy: [Int] {
    (0..<(table.count / actionCount)).map { state in
      let value = best(state).value
      return (0..<actionCount).first { table[state * actionCount + $0] == value }!
    }
  }
}

import PlaygroundConfig

/// Everything that defines a grid world; `environments/<name>.yaml` holds the same keys.
public struct GridWorldSettings: ConfigFile, Equatable, Sendable {
  /// A name for messages and run folders.
  public var name = "gridworld"
  /// The map, one row per line (see ``GridMap``).
  public var map = "SFFG"
  /// The probability of sliding sideways instead of moving as intended, split evenly between the
  /// two perpendicular directions: FrozenLake's slippery ice is 2/3 (each direction 1/3).
  public var slipProbability = 0.0
  /// Steps before an episode is truncated (FrozenLake: 100 for 4×4, 200 for 8×8).
  public var stepLimit = 100
  /// The reward of every step.
  public var stepReward = 0.0
  /// Added when a step reaches a goal.
  public var goalReward = 1.0
  /// Added when a step falls into a hole.
  public var holeReward = 0.0
  /// The reward of stepping onto a cliff, which sends the agent back to the start.
  public var cliffReward = -100.0
  /// Whether holes and goals keep the agent with reward 0 once there (FrozenLake), or are
  /// ordinary cells for moves that start on them (CliffWalking's table).
  public var terminalCellsAbsorb = true
  /// The direction of each action index: FrozenLake's `[left, down, right, up]`,
  /// CliffWalking's `[up, right, down, left]`.
  public var actions: [GridDirection] = [.left, .down, .right, .up]

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case name, map
    case slipProbability = "slip_probability"
    case stepLimit = "step_limit"
    case stepReward = "step_reward"
    case goalReward = "goal_reward"
    case holeReward = "hole_reward"
    case cliffReward = "cliff_reward"
    case terminalCellsAbsorb = "terminal_cells_absorb"
    case actions
  }

  public func validate() throws {
    try Require.that("slip_probability", slipProbability, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("step_limit", stepLimit, is: "at least 1") { $0 >= 1 }
    // Episodes (and planning horizons) that can last as long: far above any task here.
    try Require.that("step_limit", stepLimit, is: "at most 1000000") { $0 <= 1_000_000 }
    // Returns add up to step_limit (10⁶) rewards and values divide by 1 − γ: within ±10⁶ a
    // reward keeps them finite (1.7e308 overflowed to infinity in one update).
    for (name, value) in [
      ("step_reward", stepReward), ("goal_reward", goalReward), ("hole_reward", holeReward),
      ("cliff_reward", cliffReward),
    ] {
      try Require.that(name, value, is: "within ±1e6") { abs($0) <= 1e6 }
    }
    guard actions.count == 4, Set(actions).count == 4 else {
      throw RunError(
        "actions must list left, down, right and up once each, got \(actions.map(\.rawValue))")
    }
    do {
      _ = try GridMap(map)
    } catch let error as EnvironmentError {
      throw RunError(error.description)
    }
  }
}

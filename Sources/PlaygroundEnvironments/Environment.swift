import PlaygroundRandom

/// What one step of an environment returns, as in Gymnasium's `step`: the new observation, the
/// reward, and why the episode may be over — `terminated` (a terminal state of the task, no
/// bootstrapping past it) versus `truncated` (a time limit cut it short; bootstrap through it).
public struct Step<Observation> {
  public let observation: Observation
  public let reward: Double
  public let terminated: Bool
  public let truncated: Bool

  public init(observation: Observation, reward: Double, terminated: Bool, truncated: Bool) {
    self.observation = observation
    self.reward = reward
    self.terminated = terminated
    self.truncated = truncated
  }

  /// Whether the episode is over, for either reason.
  public var isDone: Bool { terminated || truncated }
}

/// The set of observations an environment produces.
public enum ObservationSpace: Equatable, Sendable {
  /// `0..<count`, e.g. the cells of a grid world.
  case discrete(count: Int)
  /// Real vectors between `low` and `high`, element-wise (infinite bounds allowed).
  case box(low: [Double], high: [Double])
}

/// A Gymnasium-style environment with a discrete action space.
///
/// `reset(seed:)` starts an episode (a seed makes every later random choice of the environment
/// reproducible); `step(_:)` applies an action.
public protocol Environment: AnyObject {
  associatedtype Observation
  /// Actions are `0..<actionCount`.
  var actionCount: Int { get }
  var observationSpace: ObservationSpace { get }
  /// Starts an episode. With a seed, reseeds the environment's generator first.
  func reset(seed: UInt64?) -> Observation
  /// Applies `action` (in `0..<actionCount`).
  func step(_ action: Int) -> Step<Observation>
}

extension Environment {
  /// Starts an episode, continuing the generator's sequence.
  public func reset() -> Observation { reset(seed: nil) }
}

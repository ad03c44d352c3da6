/// What a sampler learns from a finished trial.
public struct FinishedTrial: Equatable, Sendable {
  public enum State: String, Codable, Sendable {
    /// Trained to its end; ``value`` is the objective (`nil` when the run never recorded it,
    /// e.g. diverged: ranked last).
    case complete
    /// Stopped by the pruner; ``value`` is its last intermediate figure at ``budget``.
    case pruned
  }

  /// The trial's number: samplers weigh recent trials by it.
  public var number: Int
  /// The settings, `name → value` (a choice: its index).
  public var parameters: [String: Double]
  public var state: State
  public var value: Double?
  /// The budget it used (steps, epochs or episodes).
  public var budget: Double

  public init(
    number: Int, parameters: [String: Double], state: State, value: Double?, budget: Double
  ) {
    self.number = number
    self.parameters = parameters
    self.state = state
    self.value = value
    self.budget = budget
  }
}

/// Chooses the settings of the next trial from the trials so far.
public protocol Sampler: Sendable {
  /// The settings of trial `number`, `name → value`, given the finished trials.
  /// Deterministic: the same history and number give the same point.
  func sample(_ space: SearchSpace, number: Int, history: [FinishedTrial], goal: Goal)
    -> [String: Double]
}

/// Ends episodes after `maxSteps` steps by setting `truncated` (Gymnasium's `TimeLimit`
/// wrapper); a step that terminates on the limit is reported as terminated, not truncated.
public final class TimeLimit<Wrapped: Environment>: Environment {
  public let wrapped: Wrapped
  public let maxSteps: Int
  public private(set) var elapsedSteps = 0

  public init(_ wrapped: Wrapped, maxSteps: Int) {
    precondition(maxSteps > 0, "TimeLimit needs a positive step count, got \(maxSteps)")
    self.wrapped = wrapped
    self.maxSteps = maxSteps
  }

  public var actionCount: Int { wrapped.actionCount }
  public var observationSpace: ObservationSpace { wrapped.observationSpace }

  public func reset(seed: UInt64?) -> Wrapped.Observation {
    elapsedSteps = 0
    return wrapped.reset(seed: seed)
  }

  public func step(_ action: Int) -> Step<Wrapped.Observation> {
    let step = wrapped.step(action)
    elapsedSteps += 1
    return Step(
      observation: step.observation, reward: step.reward, terminated: step.terminated,
      truncated: step.truncated || (!step.terminated && elapsedSteps >= maxSteps))
  }
}

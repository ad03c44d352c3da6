import PlaygroundConfig

/// How a vector observation becomes a table index: `bins[i]` equal-width bins between `low[i]`
/// and `high[i]` per dimension (values outside fall into the end bins; 1 bin ignores the
/// dimension).
public struct Discretization: ConfigFile, Equatable, Sendable {
  public var bins = [1, 1, 6, 12]
  public var low = [-2.4, -3.0, -0.21, -2.0]
  public var high = [2.4, 3.0, 0.21, 2.0]

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case bins, low, high
  }

  public func validate() throws {
    guard !bins.isEmpty, bins.count == low.count, bins.count == high.count else {
      throw RunError(
        "bins, low and high need one entry per observation dimension, got \(bins.count), \(low.count), \(high.count)"
      )
    }
    guard bins.allSatisfy({ $0 >= 1 }) else { throw RunError("bins must be positive, got \(bins)") }
    guard zip(low, high).allSatisfy({ $0 < $1 }) else {
      throw RunError("each low must be below its high")
    }
  }

  /// The number of table states.
  public var stateCount: Int { bins.reduce(1, *) }

  /// The table index of `observation`.
  public func index(_ observation: [Float]) -> Int {
    var index = 0
    for i in bins.indices {
      let fraction = (Double(observation[i]) - low[i]) / (high[i] - low[i])
      let bin = min(max(Int((fraction * Double(bins[i])).rounded(.down)), 0), bins[i] - 1)
      index = index * bins[i] + bin
    }
    return index
  }
}

/// An environment with vector observations seen through a ``Discretization``, so that tabular
/// agents can learn on it (the classic cart-pole baseline).
public final class Discretized<Wrapped: Environment>: Environment
where Wrapped.Observation == [Float] {
  public let wrapped: Wrapped
  public let discretization: Discretization

  public init(_ wrapped: Wrapped, _ discretization: Discretization) {
    self.wrapped = wrapped
    self.discretization = discretization
  }

  public var actionCount: Int { wrapped.actionCount }
  public var observationSpace: ObservationSpace { .discrete(count: discretization.stateCount) }

  public func reset(seed: UInt64?) -> Int { discretization.index(wrapped.reset(seed: seed)) }

  public func step(_ action: Int) -> Step<Int> {
    let step = wrapped.step(action)
    return Step(
      observation: discretization.index(step.observation), reward: step.reward,
      terminated: step.terminated,
      truncated: step.truncated)
  }
}

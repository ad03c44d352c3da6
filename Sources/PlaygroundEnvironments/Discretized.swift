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
    guard stateCount <= Self.maximumStates else {
      throw RunError(
        "bins \(bins) make more than \(Self.maximumStates) table states: use fewer bins")
    }
    guard (low + high).allSatisfy({ $0.isFinite && abs($0) <= 1e12 }) else {
      throw RunError("low and high must be numbers within ±1e12, got \(low) and \(high)")
    }
    guard zip(low, high).allSatisfy({ $0 < $1 }) else {
      throw RunError("each low must be below its high")
    }
  }

  /// The most table states a discretization may make (the table's memory is checked too).
  public static let maximumStates = 1 << 32

  /// The number of table states (at least ``maximumStates`` + 1 when the bins multiply past it).
  public var stateCount: Int {
    var count = 1
    for bin in bins {
      let (product, overflow) = count.multipliedReportingOverflow(by: max(bin, 1))
      guard !overflow, product <= Self.maximumStates else { return Self.maximumStates + 1 }
      count = product
    }
    return count
  }

  /// The table index of `observation`.
  public func index(_ observation: [Float]) -> Int {
    var index = 0
    for i in bins.indices {
      let fraction = (Double(observation[i]) - low[i]) / (high[i] - low[i])
      // Clamped before it becomes an integer (an observation far outside, or NaN: bin 0).
      let scaled = min(max((fraction * Double(bins[i])).rounded(.down), 0), Double(bins[i] - 1))
      let bin = scaled.isNaN ? 0 : Int(scaled)
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

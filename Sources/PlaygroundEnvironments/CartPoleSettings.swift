import PlaygroundConfig

/// The physics of the cart-pole; `environments/cartpole.yaml` holds the same keys. The defaults
/// are Gymnasium's CartPole-v1 (after Barto, Sutton & Anderson, 1983).
public struct CartPoleSettings: ConfigFile, Equatable, Sendable {
  /// Gravitational acceleration, m/s².
  public var gravity = 9.8
  /// Mass of the cart, kg.
  public var cartMass = 1.0
  /// Mass of the pole, kg.
  public var poleMass = 0.1
  /// Half the pole's length, m (Gymnasium's `length`).
  public var halfLength = 0.5
  /// The force of a push, N.
  public var forceMagnitude = 10.0
  /// Seconds between state updates (explicit Euler).
  public var tau = 0.02
  /// The episode terminates when the cart is further than this from the centre, m.
  public var xThreshold = 2.4
  /// …or the pole leans more than this, degrees.
  public var thetaThresholdDegrees = 12.0
  /// Each initial state variable is uniform in ±this.
  public var initialRange = 0.05
  /// Steps before the episode is truncated (CartPole-v1: 500).
  public var stepLimit = 500

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case gravity
    case cartMass = "cart_mass"
    case poleMass = "pole_mass"
    case halfLength = "half_length"
    case forceMagnitude = "force_magnitude"
    case tau
    case xThreshold = "x_threshold"
    case thetaThresholdDegrees = "theta_threshold_degrees"
    case initialRange = "initial_range"
    case stepLimit = "step_limit"
  }

  public func validate() throws {
    for (name, value) in [
      ("cart_mass", cartMass), ("pole_mass", poleMass), ("half_length", halfLength), ("tau", tau),
      ("x_threshold", xThreshold), ("theta_threshold_degrees", thetaThresholdDegrees),
    ] {
      try Require.that(name, value, is: "positive") { $0 > 0 }
    }
    try Require.that("gravity", gravity, is: "a number") { _ in true }
    try Require.that("force_magnitude", forceMagnitude, is: "a number") { _ in true }
    try Require.that("initial_range", initialRange, is: "non-negative") { $0 >= 0 }
    try Require.that("step_limit", stepLimit, is: "at least 1") { $0 >= 1 }
    // Episodes (and planning horizons) that can last as long: far above any task here.
    try Require.that("step_limit", stepLimit, is: "at most 1000000") { $0 <= 1_000_000 }
  }

}

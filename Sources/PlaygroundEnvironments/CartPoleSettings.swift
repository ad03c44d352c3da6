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

  /// Checks every setting against the range in which the dynamics stay finite. An episode ends
  /// once |x| or |θ| passes its threshold, so the velocities stay below about threshold / τ and
  /// every product of the equations below about 10¹⁰⁰ when each quantity is within these
  /// bounds: masses, length, thresholds and the start range from 10⁻⁶ to 10⁶ (θ's threshold at
  /// most 360°), τ from 10⁻⁶ to 1 s, gravity and force within ±10⁶. (Finite is not enough:
  /// `tau: 3.4e38` or `half_length: 1e300` overflowed to infinity in the first step.)
  public func validate() throws {
    for (name, value) in [
      ("cart_mass", cartMass), ("pole_mass", poleMass), ("half_length", halfLength),
      ("x_threshold", xThreshold),
    ] {
      try Require.that(name, value, is: "from 1e-6 to 1e6") { (1e-6...1e6).contains($0) }
    }
    try Require.that("tau", tau, is: "from 1e-6 to 1 (seconds)") { (1e-6...1).contains($0) }
    try Require.that("theta_threshold_degrees", thetaThresholdDegrees, is: "from 1e-6 to 360") {
      (1e-6...360).contains($0)
    }
    try Require.that("gravity", gravity, is: "within ±1e6") { abs($0) <= 1e6 }
    try Require.that("force_magnitude", forceMagnitude, is: "within ±1e6") { abs($0) <= 1e6 }
    try Require.that("initial_range", initialRange, is: "from 0 to 1e6") { (0...1e6).contains($0) }
    try Require.that("step_limit", stepLimit, is: "at least 1") { $0 >= 1 }
    // Episodes (and planning horizons) that can last as long: far above any task here.
    try Require.that("step_limit", stepLimit, is: "at most 1000000") { $0 <= 1_000_000 }
  }

}

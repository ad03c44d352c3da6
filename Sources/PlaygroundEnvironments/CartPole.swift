import Foundation
import PlaygroundRandom

/// Gymnasium's CartPole-v1: balance a pole on a cart by pushing the cart left or right.
///
/// ## Action Space
/// 0 pushes the cart left, 1 pushes it right, with ``CartPoleSettings/forceMagnitude`` newtons.
///
/// ## Observation Space
/// `[x, ẋ, θ, θ̇]` as `Float` (the state itself is kept in `Double`): cart position (m), velocity
/// (m/s), pole angle (rad), angular velocity (rad/s); bounds ±2·x threshold and ±2·θ threshold.
///
/// ## Rewards
/// 1 for every step, the terminating one included.
///
/// ## Starting State
/// Every variable uniform in ±``CartPoleSettings/initialRange``.
///
/// ## Episode End
/// Terminated when |x| > 2.4 m or |θ| > 12°; truncated after 500 steps by ``TimeLimit`` (see
/// ``make(_:)``).
public final class CartPole: Environment {
  public typealias Observation = [Float]

  public let settings: CartPoleSettings
  private let lanes = CartPoleKernel.Lanes(count: 1)
  private var generator = RandomGenerator(seed: 0)
  private let kernel: CartPoleKernel

  public init(_ settings: CartPoleSettings = CartPoleSettings()) throws {
    try settings.validate()
    self.settings = settings
    kernel = CartPoleKernel(settings)
  }

  /// The cart-pole wrapped in its time limit.
  public static func make(_ settings: CartPoleSettings = CartPoleSettings()) throws -> TimeLimit<
    CartPole
  > {
    TimeLimit(try CartPole(settings), maxSteps: settings.stepLimit)
  }

  /// `(x, ẋ, θ, θ̇)` in float64, as Gymnasium keeps it.
  public var state: [Double] { [lanes.x[0], lanes.xDot[0], lanes.theta[0], lanes.thetaDot[0]] }

  public var actionCount: Int { 2 }

  public var observationSpace: ObservationSpace {
    let thetaThreshold = kernel.physics.theta_threshold
    let big = Double(Float.greatestFiniteMagnitude)
    return .box(
      low: [-2 * settings.xThreshold, -big, -2 * thetaThreshold, -big],
      high: [2 * settings.xThreshold, big, 2 * thetaThreshold, big])
  }

  public func reset(seed: UInt64?) -> [Float] {
    if let seed { generator = RandomGenerator(seed: seed) }
    let start = Self.initialState(settings, generator)
    return reset(state: [start.x, start.xDot, start.theta, start.thetaDot])
  }

  /// Gymnasium's start: each of x, ẋ, θ, θ̇ uniform in ±``CartPoleSettings/initialRange``, drawn
  /// in that order.
  @inline(__always)
  static func initialState(_ settings: CartPoleSettings, _ generator: RandomGenerator) -> (
    x: Double, xDot: Double, theta: Double, thetaDot: Double
  ) {
    let r = settings.initialRange
    let x = -r + 2 * r * generator.unitDouble()
    let xDot = -r + 2 * r * generator.unitDouble()
    let theta = -r + 2 * r * generator.unitDouble()
    return (x, xDot, theta, -r + 2 * r * generator.unitDouble())
  }

  /// Starts from a given state (to replay reference trajectories).
  public func reset(state: [Double]) -> [Float] {
    precondition(state.count == 4, "the cart-pole state has 4 numbers")
    (lanes.x[0], lanes.xDot[0], lanes.theta[0], lanes.thetaDot[0]) =
      (state[0], state[1], state[2], state[3])
    return observation
  }

  public var observation: [Float] { state.map(Float.init) }

  /// Gymnasium's equations (Florian, 2007), term for term, in `playground_cartpole_step`
  /// (explicit Euler with ``CartPoleSettings/tau``).
  public func step(_ action: Int) -> Step<[Float]> {
    precondition(
      action == 0 || action == 1, "CartPole actions are 0 (left) and 1 (right), got \(action)")
    var chosen = UInt8(action)
    var frozen: UInt8 = 0
    kernel.step(lanes, actions: &chosen, frozen: &frozen)
    return Step(
      observation: lanes.observations.array, reward: 1, terminated: lanes.terminated[0] != 0,
      truncated: false)
  }
}

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
  /// `(x, ẋ, θ, θ̇)` in float64, as Gymnasium keeps it.
  public private(set) var state: [Double] = [0, 0, 0, 0]
  private var generator = RandomGenerator(seed: 0)
  private let thetaThreshold: Double

  public init(_ settings: CartPoleSettings = CartPoleSettings()) throws {
    try settings.validate()
    self.settings = settings
    // Gymnasium's `12 * 2 * math.pi / 360`, in the same order.
    thetaThreshold = settings.thetaThresholdDegrees * 2 * Double.pi / 360
  }

  /// The cart-pole wrapped in its time limit.
  public static func make(_ settings: CartPoleSettings = CartPoleSettings()) throws -> TimeLimit<
    CartPole
  > {
    TimeLimit(try CartPole(settings), maxSteps: settings.stepLimit)
  }

  public var actionCount: Int { 2 }

  public var observationSpace: ObservationSpace {
    let big = Double(Float.greatestFiniteMagnitude)
    return .box(
      low: [-2 * settings.xThreshold, -big, -2 * thetaThreshold, -big],
      high: [2 * settings.xThreshold, big, 2 * thetaThreshold, big])
  }

  public func reset(seed: UInt64?) -> [Float] {
    if let seed { generator = RandomGenerator(seed: seed) }
    let r = settings.initialRange
    state = (0..<4).map { _ in -r + 2 * r * generator.unitDouble() }
    return observation
  }

  /// Starts from a given state (to replay reference trajectories).
  public func reset(state: [Double]) -> [Float] {
    precondition(state.count == 4, "the cart-pole state has 4 numbers")
    self.state = state
    return observation
  }

  public var observation: [Float] { state.map(Float.init) }

  public func step(_ action: Int) -> Step<[Float]> {
    precondition(
      action == 0 || action == 1, "CartPole actions are 0 (left) and 1 (right), got \(action)")
    let s = settings
    var (x, xDot, theta, thetaDot) = (state[0], state[1], state[2], state[3])
    let force = action == 1 ? s.forceMagnitude : -s.forceMagnitude
    let cosTheta = cos(theta)
    let sinTheta = sin(theta)
    let totalMass = s.poleMass + s.cartMass
    let poleMassLength = s.poleMass * s.halfLength
    // Gymnasium's equations (Florian, 2007), term for term.
    let temp = (force + poleMassLength * (thetaDot * thetaDot) * sinTheta) / totalMass
    let thetaAcc =
      (s.gravity * sinTheta - cosTheta * temp)
      / (s.halfLength * (4.0 / 3.0 - s.poleMass * (cosTheta * cosTheta) / totalMass))
    let xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass
    x = x + s.tau * xDot
    xDot = xDot + s.tau * xAcc
    theta = theta + s.tau * thetaDot
    thetaDot = thetaDot + s.tau * thetaAcc
    state = [x, xDot, theta, thetaDot]
    let terminated =
      x < -s.xThreshold || x > s.xThreshold || theta < -thetaThreshold || theta > thetaThreshold
    return Step(observation: observation, reward: 1, terminated: terminated, truncated: false)
  }
}

import PlaygroundKernels

/// CartPole's step in C (`playground_cartpole_step`), shared by ``CartPole`` and
/// ``VectorCartPole`` so that a cart-pole steps to the same bits alone or in a vector.
struct CartPoleKernel {
  let physics: PlaygroundCartPolePhysics

  init(_ settings: CartPoleSettings) {
    // Gymnasium's `12 * 2 * math.pi / 360`, in the same order.
    let thetaThreshold = settings.thetaThresholdDegrees * 2 * Double.pi / 360
    physics = PlaygroundCartPolePhysics(
      gravity: settings.gravity, cart_mass: settings.cartMass, pole_mass: settings.poleMass,
      half_length: settings.halfLength, force_magnitude: settings.forceMagnitude,
      tau: settings.tau, x_threshold: settings.xThreshold, theta_threshold: thetaThreshold)
  }

  /// The state of `count` cart-poles as four float64 arrays, and what one step writes.
  final class Lanes {
    let x: LaneBuffer<Double>
    let xDot: LaneBuffer<Double>
    let theta: LaneBuffer<Double>
    let thetaDot: LaneBuffer<Double>
    /// Four float32 per cart-pole.
    let observations: LaneBuffer<Float>
    let terminated: LaneBuffer<UInt8>

    init(count: Int) {
      (x, xDot) = (LaneBuffer(repeating: 0, count: count), LaneBuffer(repeating: 0, count: count))
      theta = LaneBuffer(repeating: 0, count: count)
      thetaDot = LaneBuffer(repeating: 0, count: count)
      observations = LaneBuffer(repeating: 0, count: 4 * count)
      terminated = LaneBuffer(repeating: 0, count: count)
    }

    var count: Int { x.count }
  }

  /// Steps every lane whose `frozen` byte is 0 with its action (0 or 1); frozen lanes keep
  /// their state and report not terminated.
  func step(_ lanes: Lanes, actions: UnsafePointer<UInt8>, frozen: UnsafePointer<UInt8>) {
    var physics = physics
    playground_cartpole_step(
      &physics, lanes.x.pointer, lanes.xDot.pointer, lanes.theta.pointer, lanes.thetaDot.pointer,
      actions, frozen, lanes.observations.pointer, lanes.terminated.pointer, lanes.count)
  }
}

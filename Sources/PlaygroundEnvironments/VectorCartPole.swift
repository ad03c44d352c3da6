import PlaygroundRandom

/// `environmentCount` CartPole-v1s stepped together (``VectorEnvironment``; Gymnasium's
/// `gym.make_vec("CartPole-v1", vectorization_mode="vector_entry_point")`, but with one random
/// stream per copy as `SyncVectorEnv` has, so that copy `i` equals a ``CartPole`` seeded
/// `seed + i`).
///
/// The state is kept as four float64 arrays and stepped by one vectorized C loop
/// (`playground_cartpole_step`, the same one ``CartPole`` uses); observations are four float32
/// per copy: `[x, ẋ, θ, θ̇]`. Rewards, episode ends and the 500-step limit as ``CartPole``.
public final class VectorCartPole: VectorEnvironment {
  public let settings: CartPoleSettings
  public let environmentCount: Int
  private let lanes: CartPoleKernel.Lanes
  private let clock: EpisodeClock
  private var generators: [RandomGenerator]
  private let actionBytes: LaneBuffer<UInt8>
  /// Every step's reward, 1 for each copy.
  private let ones: LaneBuffer<Double>
  private let kernel: CartPoleKernel
  private let single: CartPole

  /// - Throws: ``EnvironmentError`` for fewer than one copy, or a setting out of range.
  public init(count: Int, settings: CartPoleSettings = CartPoleSettings()) throws {
    guard count >= 1 else {
      throw EnvironmentError("a vector environment needs at least 1 copy, got \(count)")
    }
    single = try CartPole(settings)
    self.settings = settings
    environmentCount = count
    lanes = CartPoleKernel.Lanes(count: count)
    clock = EpisodeClock(count: count, stepLimit: settings.stepLimit)
    generators = (0..<count).map { RandomGenerator(seed: UInt64($0)) }
    actionBytes = LaneBuffer(repeating: 0, count: count)
    ones = LaneBuffer(repeating: 1, count: count)
    finals = LaneBuffer(repeating: 0, count: 4 * count)
    kernel = CartPoleKernel(settings)
  }

  public var actionCount: Int { 2 }
  public var observationSpace: ObservationSpace { single.observationSpace }
  public var observationWidth: Int { 4 }
  public var autoreset = AutoresetMode.nextStep
  public var observations: [Float] { lanes.observations.array }
  public var finalObservations: [Float] {
    (endedThisStep ? finals : lanes.observations).array
  }
  /// The last observations before this step's resets (same-step autoreset), when there were any.
  private let finals: LaneBuffer<Float>
  private var endedThisStep = false
  public var rewards: [Double] { clock.rewards.array }
  public var terminated: [Bool] { clock.terminatedFlags }
  public var truncated: [Bool] { clock.truncatedFlags }

  /// Copy `i`'s `(x, ẋ, θ, θ̇)` in float64.
  public func state(of i: Int) -> [Double] {
    [lanes.x[i], lanes.xDot[i], lanes.theta[i], lanes.thetaDot[i]]
  }

  public func reset(seed: UInt64?) {
    if let seed {
      generators = (0..<environmentCount).map { RandomGenerator(seed: seed &+ UInt64($0)) }
    }
    for i in 0..<environmentCount { start(i) }
    restart()
  }

  public func reset(seeds: [UInt64]) {
    precondition(seeds.count == environmentCount, "one seed per copy")
    generators = seeds.map { RandomGenerator(seed: $0) }
    reset(seed: nil)
  }

  /// Starts copy `i` from `states[i]` (to replay reference trajectories).
  public func reset(states: [[Double]]) {
    precondition(states.count == environmentCount, "one state per copy")
    for (i, state) in states.enumerated() {
      precondition(state.count == 4, "the cart-pole state has 4 numbers")
      (lanes.x[i], lanes.xDot[i], lanes.theta[i], lanes.thetaDot[i]) =
        (state[0], state[1], state[2], state[3])
    }
    restart()
  }

  public func step(_ actions: [Int]) {
    precondition(actions.count == environmentCount, "one action per copy")
    let (bytes, resetting) = (actionBytes.pointer, clock.resetting.pointer)
    var invalid = false
    actions.withUnsafeBufferPointer { actions in
      for i in 0..<environmentCount {
        invalid = invalid || UInt(bitPattern: actions[i]) > 1
        bytes[i] = UInt8(truncatingIfNeeded: actions[i])
      }
    }
    precondition(!invalid, "CartPole actions are 0 (left) and 1 (right), got \(actions)")
    for i in 0..<environmentCount where resetting[i] != 0 { start(i) }
    kernel.step(lanes, actions: bytes, frozen: resetting)
    clock.recordAll(rewards: ones.pointer, ended: lanes.terminated.pointer)
    endedThisStep = false
    if autoreset == .sameStep { restartEnded() }
  }

  /// Same-step autoreset: every copy whose episode just ended starts its next one now, its last
  /// observation kept in ``finalObservations``.
  private func restartEnded() {
    let resetting = clock.resetting.pointer
    guard (0..<environmentCount).contains(where: { resetting[$0] != 0 }) else { return }
    finals.pointer.update(from: lanes.observations.pointer, count: 4 * environmentCount)
    endedThisStep = true
    for i in 0..<environmentCount where resetting[i] != 0 {
      start(i)
      let o = lanes.observations.pointer + 4 * i
      (o[0], o[1], o[2], o[3]) = (
        Float(lanes.x[i]), Float(lanes.xDot[i]), Float(lanes.theta[i]), Float(lanes.thetaDot[i])
      )
      clock.restarted(i)
    }
  }

  /// Draws copy `i`'s first state from its own stream.
  private func start(_ i: Int) {
    (lanes.x[i], lanes.xDot[i], lanes.theta[i], lanes.thetaDot[i]) = CartPole.initialState(
      settings, generators[i])
  }

  /// Every copy at the start of an episode: observations written (a step with every copy
  /// frozen), no reward, no flag.
  private func restart() {
    let frozen = LaneBuffer<UInt8>(repeating: 1, count: environmentCount)
    kernel.step(lanes, actions: actionBytes.pointer, frozen: frozen.pointer)
    clock.restart()
  }
}

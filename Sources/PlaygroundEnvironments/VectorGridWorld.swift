import PlaygroundRandom

/// `environmentCount` copies of one grid world stepped together (``VectorEnvironment``): the
/// cells as one array, one random stream per copy, so that copy `i` equals a ``GridWorld``
/// seeded `seed + i`. Observations are one cell per copy.
public final class VectorGridWorld: VectorEnvironment {
  public let world: GridWorld
  public let environmentCount: Int
  public private(set) var observations: [Int]
  private let clock: EpisodeClock
  private let stepRewards: LaneBuffer<Double>
  private let stepEnded: LaneBuffer<UInt8>
  private var generators: [RandomGenerator]

  /// - Throws: ``EnvironmentError`` for fewer than one copy, an unusable map or setting.
  public init(count: Int, settings: GridWorldSettings) throws {
    guard count >= 1 else {
      throw EnvironmentError("a vector environment needs at least 1 copy, got \(count)")
    }
    world = try GridWorld(settings)
    environmentCount = count
    observations = Array(repeating: world.map.start, count: count)
    finalObservations = observations
    clock = EpisodeClock(count: count, stepLimit: settings.stepLimit)
    stepRewards = LaneBuffer(repeating: 0, count: count)
    stepEnded = LaneBuffer(repeating: 0, count: count)
    generators = (0..<count).map { RandomGenerator(seed: UInt64($0)) }
  }

  public var actionCount: Int { 4 }
  public var observationSpace: ObservationSpace { world.observationSpace }
  public var observationWidth: Int { 1 }
  public var autoreset = AutoresetMode.nextStep
  public private(set) var finalObservations: [Int]
  public var rewards: [Double] { clock.rewards.array }
  public var terminated: [Bool] { clock.terminatedFlags }
  public var truncated: [Bool] { clock.truncatedFlags }

  public func reset(seed: UInt64?) {
    if let seed {
      generators = (0..<environmentCount).map { RandomGenerator(seed: seed &+ UInt64($0)) }
    }
    for i in 0..<environmentCount { observations[i] = world.map.start }
    finalObservations = observations
    clock.restart()
  }

  public func reset(seeds: [UInt64]) {
    precondition(seeds.count == environmentCount, "one seed per copy")
    generators = seeds.map { RandomGenerator(seed: $0) }
    reset(seed: nil)
  }

  public func step(_ actions: [Int]) {
    precondition(actions.count == environmentCount, "one action per copy")
    for i in 0..<environmentCount {
      let action = actions[i]
      precondition((0..<4).contains(action), "GridWorld actions are 0..<4, got \(action)")
      if clock.resetting[i] != 0 {
        observations[i] = world.map.start
        continue
      }
      let chosen = world.outcome(of: action, from: observations[i], drawingFrom: generators[i])
      observations[i] = chosen.nextState
      (stepRewards[i], stepEnded[i]) = (chosen.reward, chosen.terminated ? 1 : 0)
    }
    clock.recordAll(rewards: stepRewards.pointer, ended: stepEnded.pointer)
    finalObservations = observations
    if autoreset == .sameStep {
      for i in 0..<environmentCount where clock.resetting[i] != 0 {
        observations[i] = world.map.start
        clock.restarted(i)
      }
    }
  }
}

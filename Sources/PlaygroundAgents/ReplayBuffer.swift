import PlaygroundRandom

/// A ring buffer of transitions with uniform sampling (Mnih et al., 2015): the oldest
/// transition is overwritten when full.
public struct ReplayBuffer {
  public let capacity: Int
  public let observationSize: Int
  public private(set) var count = 0
  private var next = 0
  private var observations: [Float]
  private var nextObservations: [Float]
  private var actions: [Int]
  private var rewards: [Float]
  /// 1 where the transition ended in a terminal state (no bootstrap); truncation is not stored.
  private var terminals: [Float]

  /// A sampled mini-batch, row by row.
  public struct Batch {
    public let observations: [Float]
    public let actions: [Int]
    public let rewards: [Float]
    public let nextObservations: [Float]
    public let terminals: [Float]
  }

  public init(capacity: Int, observationSize: Int) {
    precondition(
      capacity > 0 && observationSize > 0,
      "a replay buffer needs a positive capacity and observation size")
    self.capacity = capacity
    self.observationSize = observationSize
    observations = [Float](repeating: 0, count: capacity * observationSize)
    nextObservations = observations
    actions = [Int](repeating: 0, count: capacity)
    rewards = [Float](repeating: 0, count: capacity)
    terminals = rewards
  }

  /// Stores one transition (observations of `observationSize` values: an array, or a slice of
  /// a vector environment's).
  public mutating func add<Observation: Collection<Float>>(
    observation: Observation, action: Int, reward: Double, nextObservation: Observation,
    terminated: Bool
  ) {
    let base = next * observationSize
    for (k, value) in observation.enumerated() { observations[base + k] = value }
    for (k, value) in nextObservation.enumerated() { nextObservations[base + k] = value }
    actions[next] = action
    rewards[next] = Float(reward)
    terminals[next] = terminated ? 1 : 0
    next = (next + 1) % capacity
    count = min(count + 1, capacity)
  }

  /// `size` transitions drawn uniformly with replacement.
  public func sample(_ size: Int, generator: RandomGenerator) -> Batch {
    precondition(count > 0, "cannot sample an empty replay buffer")
    var obs = [Float](), nextObs = [Float](), acts = [Int](), rews = [Float](), terms = [Float]()
    obs.reserveCapacity(size * observationSize)
    nextObs.reserveCapacity(size * observationSize)
    for _ in 0..<size {
      let index = generator.integer(below: count)
      let base = index * observationSize
      obs += observations[base..<(base + observationSize)]
      nextObs += nextObservations[base..<(base + observationSize)]
      acts.append(actions[index])
      rews.append(rewards[index])
      terms.append(terminals[index])
    }
    return Batch(
      observations: obs, actions: acts, rewards: rews, nextObservations: nextObs, terminals: terms)
  }
}

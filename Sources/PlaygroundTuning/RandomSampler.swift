import PlaygroundRandom

/// Random search (Bergstra & Bengio 2012): every setting drawn uniformly on its scale, each
/// trial from its own stream of the seed, so that the sequence does not depend on how many
/// trials run at once. The baseline TPE must beat.
public struct RandomSampler: Sampler {
  public let seed: UInt64

  public init(seed: UInt64) { self.seed = seed }

  public func sample(
    _ space: SearchSpace, number: Int, history: [FinishedTrial], goal: Goal
  ) -> [String: Double] {
    let generator = RandomGenerator(seed: seed).derived(stream: UInt64(number) + 1)
    return space.randomPoint { generator.unitDouble() }
  }
}

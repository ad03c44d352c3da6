extension Tensor {
  /// Inverted dropout (Srivastava et al., 2014): zeroes each element with probability `rate` and
  /// scales the survivors by `1 / (1 − rate)`, so evaluation needs no rescaling.
  /// - Parameters:
  ///   - rate: the probability of dropping an element, in `[0, 1)`.
  ///   - generator: the run's seeded generator, which draws the mask.
  public func dropout(rate: Float, generator: RandomGenerator) -> Tensor {
    precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
    guard rate > 0 else { return self }
    let scale = 1 / (1 - rate)
    let mask: [Float] = (0..<count).map { _ in generator.uniform() < rate ? 0 : scale }
    return self * Tensor(shape: shape, scalars: mask)
  }
}

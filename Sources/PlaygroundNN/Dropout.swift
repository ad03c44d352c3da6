import PlaygroundCore

/// Inverted dropout in training, the identity in evaluation (Srivastava et al., 2014).
public final class Dropout: Layer {
  /// The probability of dropping each element, in `[0, 1)`.
  public let rate: Float
  public private(set) var isTraining = true
  /// Draws the masks (its position is part of a training checkpoint).
  public let generator: RandomGenerator

  /// - Parameter generator: draws the masks; pass the run's generator (or a derived stream).
  public init(rate: Float, generator: RandomGenerator) {
    precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
    self.rate = rate
    self.generator = generator
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    isTraining ? input.dropout(rate: rate, generator: generator) : input
  }

  public func setTraining(_ training: Bool) { isTraining = training }
}

import PlaygroundCore

/// A fully connected layer, `activation(x · Wᵀ + b)` (Keras' `Dense`, PyTorch's `nn.Linear`).
///
/// The weight is stored as PyTorch stores it, `[outputSize, inputSize]`.
///
/// ```swift
/// let rng = RandomGenerator(seed: 0)
/// let dense = Dense(inputSize: 784, outputSize: 128, activation: .relu, generator: rng)
/// let y = dense(Tensor.zeros([32, 784]))  // [32, 128]
/// ```
public final class Dense: KernelLayer {
  /// `[outputSize, inputSize]`.
  public let weight: Tensor
  /// `[outputSize]`, or `nil` without bias.
  public let bias: Tensor?
  public let activation: ActivationFunction

  /// - Parameters:
  ///   - weightInitializer: Keras' Glorot-uniform by default; `.heUniform` for deep ReLU stacks.
  ///   - useBias: add a bias, zero-initialized (Keras' default).
  ///   - generator: the run's seeded generator.
  public init(
    inputSize: Int, outputSize: Int, activation: ActivationFunction = .identity,
    weightInitializer: Initializer = .glorotUniform, useBias: Bool = true,
    biasInitializer: Initializer = .constant(0), generator: RandomGenerator
  ) {
    precondition(
      inputSize > 0 && outputSize > 0,
      "Dense sizes must be positive, got inputSize \(inputSize), outputSize \(outputSize)")
    weight = weightInitializer.tensor(
      [outputSize, inputSize], fans: (inputSize, outputSize), generator: generator
    ).requiringGrad()
    bias =
      useBias
      ? biasInitializer.tensor([outputSize], fans: (inputSize, outputSize), generator: generator)
        .requiringGrad() : nil
    self.activation = activation
  }

  public var inputSize: Int { weight.shape[1] }
  public var outputSize: Int { weight.shape[0] }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize,
      "Dense(\(inputSize) → \(outputSize)) needs input [batch, \(inputSize)], got \(input.shape)")
    return activation(input.linear(weight: weight, bias: bias))
  }
}

import PlaygroundCore

/// Batch normalization over the channel axis of `[N, C]` or `[N, C, H, W]` (Ioffe & Szegedy,
/// 2015; PyTorch's `BatchNorm1d`/`BatchNorm2d`).
///
/// Training normalizes with the batch's statistics and updates the running ones:
/// `running = (1 − momentum) · running + momentum · batch`, with the unbiased batch variance, as
/// PyTorch does (Keras' `momentum=0.99` is PyTorch's `momentum=0.01`). Evaluation uses the running
/// statistics.
public final class BatchNorm: Layer {
  /// The scale γ, `[featureCount]`, initialized to 1.
  public let weight: Tensor
  /// The shift β, `[featureCount]`, initialized to 0.
  public let bias: Tensor
  public let runningMean: Tensor
  public let runningVariance: Tensor
  /// The weight of the newest batch in the running statistics, in `[0, 1]`.
  public let momentum: Float
  public let epsilon: Float
  public private(set) var isTraining = true

  public init(featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    precondition(featureCount > 0, "BatchNorm needs a positive feature count, got \(featureCount)")
    precondition(
      (0...1).contains(momentum), "BatchNorm momentum must be in [0, 1], got \(momentum)")
    precondition(epsilon > 0, "BatchNorm epsilon must be positive, got \(epsilon)")
    weight = Tensor.ones([featureCount], requiresGrad: true)
    bias = Tensor.zeros([featureCount], requiresGrad: true)
    runningMean = Tensor.zeros([featureCount])
    runningVariance = Tensor.ones([featureCount])
    self.momentum = momentum
    self.epsilon = epsilon
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    callAsFunction(input, thenLeakyReLU: nil)
  }

  /// The layer followed, in the same pass, by a leaky ReLU of `slope` (≥ 0; 0 is ReLU), when
  /// given: the bits of the two layers one after the other, one pass over the output fewer.
  public func callAsFunction(_ input: Tensor, thenLeakyReLU slope: Float?) -> Tensor {
    if !isTraining {
      return input.batchNormalized(
        weight: weight, bias: bias,
        statistics: (runningMean.scalars, runningVariance.scalars), epsilon: epsilon,
        thenLeakyReLU: slope
      ).output
    }
    let (output, statistics) = input.batchNormalized(
      weight: weight, bias: bias, epsilon: epsilon, thenLeakyReLU: slope)
    if let statistics {
      let unbias = Float(statistics.count) / Float(max(statistics.count - 1, 1))
      for c in runningMean.scalars.indices {
        runningMean.scalars[c] += momentum * (statistics.mean[c] - runningMean.scalars[c])
        runningVariance.scalars[c] +=
          momentum * (statistics.variance[c] * unbias - runningVariance.scalars[c])
      }
    }
    return output
  }

  public var namedParameters: [NamedTensor] { [("weight", weight), ("bias", bias)] }
  public var namedBuffers: [NamedTensor] {
    [("running_mean", runningMean), ("running_var", runningVariance)]
  }
  public func setTraining(_ training: Bool) { isTraining = training }
}

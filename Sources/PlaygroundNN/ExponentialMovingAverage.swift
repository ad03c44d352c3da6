import PlaygroundCore

/// An exponential moving average of a network's parameters (Polyak averaging; the EMA weights
/// that diffusion and flow models sample from): after each optimizer step,
/// `average ← decay · average + (1 − decay) · parameter`, as
/// `ema.mul_(decay).add_(p, alpha=1 − decay)` in PyTorch. Buffers are copied as they are.
///
/// With `warmup`, the decay of update n (counting from 0) is min(decay, (1 + n) / (10 + n)), as
/// TensorFlow's `ExponentialMovingAverage(decay, num_updates)`: early averages forget the random
/// initial weights within tens of steps instead of thousands (0.999⁷⁴⁰ ≈ 0.48 of the average
/// would still be the initial weights after 740 steps).
///
/// It keeps its own copy of the network (`average`), which sampling and checkpoints use.
public final class ExponentialMovingAverage {
  /// The network whose parameters hold the averages.
  public let average: any Layer
  /// The weight of the old average, in [0, 1).
  public let decay: Float
  /// Whether early updates use a smaller decay.
  public let warmup: Bool
  /// The updates done so far (saved in checkpoints: warm-up depends on it).
  public var updates = 0
  private let source: any Layer

  /// - Parameters:
  ///   - network: the trained network.
  ///   - copy: a second network of the same architecture, which becomes the average (its
  ///     values are replaced by `network`'s).
  public init(of network: any Layer, into copy: any Layer, decay: Float, warmup: Bool = false) {
    precondition((0..<1).contains(decay), "the EMA decay must be in [0, 1), got \(decay)")
    precondition(
      network.namedState.map(\.tensor.shape) == copy.namedState.map(\.tensor.shape),
      "the EMA's copy must have the network's architecture")
    source = network
    average = copy
    self.decay = decay
    self.warmup = warmup
    for (target, value) in zip(copy.namedState, network.namedState) {
      target.tensor.scalars = value.tensor.scalars
    }
  }

  /// Moves the average towards the network's current parameters.
  public func update() {
    let n = Float(updates)
    let keep = warmup ? min(decay, (1 + n) / (10 + n)) : decay
    let take = 1 - keep
    updates += 1
    for (target, value) in zip(average.parameters, source.parameters) {
      target.scalars.withUnsafeMutableBufferPointer { a in
        value.scalars.withUnsafeBufferPointer { p in
          for i in a.indices { a[i] = a[i] * keep + p[i] * take }
        }
      }
    }
    for (target, value) in zip(average.namedBuffers, source.namedBuffers) {
      target.tensor.scalars = value.tensor.scalars
    }
  }
}

import PlaygroundCore

/// RMSprop (Hinton, 2012) as `torch.optim.RMSprop`: `v ← α·v + (1 − α)·g²`,
/// `p ← p − lr · g / (√v + ε)`, with optional momentum on that step.
public final class RMSprop: ParameterwiseOptimizer {
  /// The decay of the squared-gradient average (PyTorch's 0.99).
  public let alpha: Float
  public let epsilon: Float
  public let momentum: Float

  override public class var bufferNames: [String] { ["square_avg", "momentum_buffer"] }

  public init(
    parameters: [Tensor], learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
    momentum: Float = 0
  ) {
    checkHyperParameter((0..<1).contains(alpha), "RMSprop alpha must be in [0, 1), got \(alpha)")
    checkHyperParameter(epsilon > 0, "RMSprop epsilon must be positive, got \(epsilon)")
    checkHyperParameter(momentum >= 0, "RMSprop momentum must be non-negative, got \(momentum)")
    self.alpha = alpha
    self.epsilon = epsilon
    self.momentum = momentum
    super.init(
      parameters: parameters, learningRate: learningRate, bufferNames: Self.bufferNames,
      zeroed: true)
  }

  public convenience init(
    for layer: any Layer, learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
    momentum: Float = 0
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, alpha: alpha, epsilon: epsilon,
      momentum: momentum)
  }

  override func update(_ parameter: Tensor, gradient g: [Float], buffers: inout [[Float]?]) {
    let (a, eps, mu, lr) = (alpha, epsilon, momentum, learningRate)
    // Taken out (so that the loop writes them in place, uniquely referenced) and put back.
    var square = buffers[0]!
    var velocity = buffers[1]!
    (buffers[0], buffers[1]) = (nil, nil)
    for i in g.indices {
      square[i] = a * square[i] + (1 - a) * g[i] * g[i]
      let update = g[i] / (square[i].squareRoot() + eps)
      if mu > 0 {
        velocity[i] = mu * velocity[i] + update
        parameter.scalars[i] -= lr * velocity[i]
      } else {
        parameter.scalars[i] -= lr * update
      }
    }
    (buffers[0], buffers[1]) = (square, velocity)
  }
}

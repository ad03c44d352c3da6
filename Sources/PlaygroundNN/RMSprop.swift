import PlaygroundCore

/// RMSprop (Hinton, 2012) as `torch.optim.RMSprop`: `v ← α·v + (1 − α)·g²`,
/// `p ← p − lr · g / (√v + ε)`, with optional momentum on that step.
public final class RMSprop: SavableOptimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// The decay of the squared-gradient average (PyTorch's 0.99).
  public let alpha: Float
  public let epsilon: Float
  public let momentum: Float
  private var squareAverages: [[Float]]
  private var velocity: [[Float]]
  /// Steps taken so far.
  public private(set) var stepCount = 0

  public init(
    parameters: [Tensor], learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
    momentum: Float = 0
  ) {
    checkHyperParameter(
      learningRate >= 0, "Learning rate must be non-negative, got \(learningRate)")
    checkHyperParameter((0..<1).contains(alpha), "RMSprop alpha must be in [0, 1), got \(alpha)")
    checkHyperParameter(epsilon > 0, "RMSprop epsilon must be positive, got \(epsilon)")
    checkHyperParameter(momentum >= 0, "RMSprop momentum must be non-negative, got \(momentum)")
    self.parameters = parameters
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
    self.momentum = momentum
    squareAverages = parameters.map { [Float](repeating: 0, count: $0.count) }
    velocity = squareAverages
  }

  public convenience init(
    for layer: any Layer, learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
    momentum: Float = 0
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, alpha: alpha, epsilon: epsilon,
      momentum: momentum)
  }

  public func step() {
    stepCount += 1
    let (a, eps, mu, lr) = (alpha, epsilon, momentum, learningRate)
    for (index, parameter) in parameters.enumerated() {
      guard let g = parameter.gradient else { continue }
      for i in g.indices {
        squareAverages[index][i] = a * squareAverages[index][i] + (1 - a) * g[i] * g[i]
        let update = g[i] / (squareAverages[index][i].squareRoot() + eps)
        if mu > 0 {
          velocity[index][i] = mu * velocity[index][i] + update
          parameter.scalars[i] -= lr * velocity[index][i]
        } else {
          parameter.scalars[i] -= lr * update
        }
      }
    }
  }

  public static let bufferNames = ["square_avg", "momentum_buffer"]

  public var savedState: OptimizerState {
    OptimizerState(
      stepCount: stepCount, buffers: ["square_avg": squareAverages, "momentum_buffer": velocity])
  }

  public func restore(_ state: OptimizerState) throws {
    let buffers = try required(Self.bufferNames, of: state)
    (squareAverages, velocity, stepCount) = (buffers[0], buffers[1], state.stepCount)
  }
}

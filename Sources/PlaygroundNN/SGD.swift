import PlaygroundCore

/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay
/// (PyTorch's `torch.optim.SGD`): `b ← μ·b + g` (the first step `b = g`), `p ← p − lr·b`.
public final class SGD: SavableOptimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  public let momentum: Float
  public let nesterov: Bool
  public let weightDecay: Float
  private var velocity: [[Float]?]
  /// Steps taken so far.
  public private(set) var stepCount = 0

  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
    weightDecay: Float = 0
  ) {
    checkHyperParameter(
      learningRate >= 0, "Learning rate must be non-negative, got \(learningRate)")
    checkHyperParameter(momentum >= 0, "SGD momentum must be non-negative, got \(momentum)")
    checkHyperParameter(weightDecay >= 0, "Weight decay must be non-negative, got \(weightDecay)")
    checkHyperParameter(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    velocity = Array(repeating: nil, count: parameters.count)
  }

  public convenience init(
    for layer: any Layer, learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
    weightDecay: Float = 0
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, momentum: momentum,
      nesterov: nesterov, weightDecay: weightDecay)
  }

  public func step() {
    stepCount += 1
    for (index, parameter) in parameters.enumerated() {
      guard var g = parameter.gradient else { continue }
      if weightDecay != 0 {
        for i in g.indices { g[i] += weightDecay * parameter.scalars[i] }
      }
      if momentum != 0 {
        var b = velocity[index] ?? g
        if velocity[index] != nil {
          for i in b.indices { b[i] = momentum * b[i] + g[i] }
        }
        velocity[index] = b
        if nesterov {
          for i in g.indices { g[i] += momentum * b[i] }
        } else {
          g = b
        }
      }
      let lr = learningRate
      parameter.scalars.withUnsafeMutableBufferPointer { p in
        for i in p.indices { p[i] -= lr * g[i] }
      }
    }
  }

  public static let bufferNames = ["momentum_buffer"]

  public var savedState: OptimizerState {
    OptimizerState(stepCount: stepCount, buffers: ["momentum_buffer": velocity])
  }

  public func restore(_ state: OptimizerState) throws {
    velocity = try buffer("momentum_buffer", of: state, optional: true)
    stepCount = state.stepCount
  }
}

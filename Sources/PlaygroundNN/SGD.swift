import PlaygroundCore

/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay
/// (PyTorch's `torch.optim.SGD`): `b ← μ·b + g` (the first step `b = g`), `p ← p − lr·b`.
public final class SGD: ParameterwiseOptimizer {
  public let momentum: Float
  public let nesterov: Bool
  public let weightDecay: Float

  override public class var bufferNames: [String] { ["momentum_buffer"] }

  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
    weightDecay: Float = 0
  ) {
    checkHyperParameter(momentum >= 0, "SGD momentum must be non-negative, got \(momentum)")
    checkHyperParameter(weightDecay >= 0, "Weight decay must be non-negative, got \(weightDecay)")
    checkHyperParameter(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    super.init(
      parameters: parameters, learningRate: learningRate, bufferNames: Self.bufferNames,
      zeroed: false)
  }

  public convenience init(
    for layer: any Layer, learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
    weightDecay: Float = 0
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, momentum: momentum,
      nesterov: nesterov, weightDecay: weightDecay)
  }

  override func update(_ parameter: Tensor, gradient: [Float], buffers: inout [[Float]?]) {
    var g = gradient
    if weightDecay != 0 {
      for i in g.indices { g[i] += weightDecay * parameter.scalars[i] }
    }
    if momentum != 0 {
      var b = buffers[0] ?? g
      if buffers[0] != nil {
        for i in b.indices { b[i] = momentum * b[i] + g[i] }
      }
      buffers[0] = b
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

import PlaygroundCore

/// How a weight tensor is filled before training.
///
/// Fan-in and fan-out follow PyTorch's `_calculate_fan_in_and_fan_out`: for a weight
/// `[a, b, k…]`, fan-in is `b·∏k` and fan-out is `a·∏k`.
public enum Initializer: Sendable, Equatable {
  /// Uniform in ±√(6 / (fanIn + fanOut)) (Glorot & Bengio, 2010); Keras' default for kernels.
  case glorotUniform
  /// Uniform in ±√(6 / fanIn) (He et al., 2015), for ReLU networks.
  case heUniform
  /// Normal with standard deviation √(2 / fanIn) (He et al., 2015).
  case heNormal
  /// Uniform in ±1/√fanIn: PyTorch's default for `nn.Linear` and `nn.Conv2d` weights and biases.
  case pytorchDefault
  /// Normal with the given standard deviation, e.g. 0.02 as in DCGAN (Radford et al., 2016).
  case normal(standardDeviation: Float)
  /// Every element equal to the value: 0 for biases, 1 for batch-norm scales.
  case constant(Float)

  /// A tensor of `shape` filled by this rule, drawing from `generator`.
  public func tensor(_ shape: [Int], fans: (in: Int, out: Int), generator: RandomGenerator)
    -> Tensor
  {
    let fanIn = Float(max(fans.in, 1))
    let fanOut = Float(max(fans.out, 1))
    switch self {
    case .glorotUniform:
      let limit = (6 / (fanIn + fanOut)).squareRoot()
      return generator.uniformTensor(shape, in: -limit..<limit)
    case .heUniform:
      let limit = (6 / fanIn).squareRoot()
      return generator.uniformTensor(shape, in: -limit..<limit)
    case .heNormal:
      return generator.normalTensor(shape, standardDeviation: (2 / fanIn).squareRoot())
    case .pytorchDefault:
      let limit = 1 / fanIn.squareRoot()
      return generator.uniformTensor(shape, in: -limit..<limit)
    case .normal(let standardDeviation):
      return generator.normalTensor(shape, standardDeviation: standardDeviation)
    case .constant(let value):
      return Tensor(repeating: value, shape: shape)
    }
  }

  /// PyTorch's fans of a weight of `shape`.
  public static func fans(of shape: [Int]) -> (in: Int, out: Int) {
    guard shape.count >= 2 else { return (shape.first ?? 1, shape.first ?? 1) }
    let receptive = shape.dropFirst(2).reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
  }

  /// A new trainable kernel of `shape` (fans as PyTorch computes them for that layout).
  func parameter(_ shape: [Int], generator: RandomGenerator) -> Tensor {
    tensor(shape, fans: Initializer.fans(of: shape), generator: generator).requiringGrad()
  }
}

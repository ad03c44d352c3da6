import PlaygroundCore

/// An element-wise (or, for softmax, row-wise) non-linearity.
public enum ActivationFunction: Sendable, Equatable {
  case identity
  case relu
  /// `x` for `x > 0`, `negativeSlope · x` otherwise; GANs use 0.2.
  case leakyRelu(negativeSlope: Float)
  case tanh
  case sigmoid
  /// Softmax over the last axis.
  case softmax

  /// Applies the function.
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .identity: x
    case .relu: x.relu()
    case .leakyRelu(let slope): x.leakyRelu(negativeSlope: slope)
    case .tanh: x.tanh()
    case .sigmoid: x.sigmoid()
    case .softmax: x.softmax()
    }
  }

  /// The slope of a ReLU (0) or of a leaky ReLU whose slope is ≥ 0, which other operations can
  /// apply in their own pass; `nil` for every other function.
  public var rectifierSlope: Float? {
    switch self {
    case .relu: 0
    case .leakyRelu(let slope) where slope >= 0: slope
    default: nil
    }
  }

  /// A short name for configs and summaries: `relu`, `leaky_relu(0.2)`, ….
  public var name: String {
    switch self {
    case .identity: "identity"
    case .relu: "relu"
    case .leakyRelu(let slope): "leaky_relu(\(slope))"
    case .tanh: "tanh"
    case .sigmoid: "sigmoid"
    case .softmax: "softmax"
    }
  }
}

/// A layer that applies an ``ActivationFunction``: `Activation(.relu)`.
public final class Activation: Layer {
  public let function: ActivationFunction

  public init(_ function: ActivationFunction) {
    self.function = function
  }

  public func callAsFunction(_ input: Tensor) -> Tensor { function(input) }
}

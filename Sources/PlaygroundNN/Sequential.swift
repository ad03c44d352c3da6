import PlaygroundCore

/// Layers applied one after another. Parameters are named `layers.<i>.<name>`, so a checkpoint of
/// a `Sequential` reads like the `state_dict` of a PyTorch module with an `nn.Sequential` called
/// `layers`.
///
/// ```swift
/// let rng = RandomGenerator(seed: 0)
/// let model = Sequential([
///   Flatten(),
///   Dense(inputSize: 784, outputSize: 128, activation: .relu, generator: rng),
///   Dense(inputSize: 128, outputSize: 10, activation: .softmax, generator: rng),
/// ])
/// ```
public final class Sequential: Layer {
  public let layers: [any Layer]

  public init(_ layers: [any Layer]) {
    self.layers = layers
  }

  /// The layers in turn; a batch norm followed by a ReLU or leaky ReLU runs as one layer, with
  /// the same bits (``BatchNorm/callAsFunction(_:thenLeakyReLU:)``).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    var (x, next) = (input, 0)
    while next < layers.count {
      if let norm = layers[next] as? BatchNorm, next + 1 < layers.count,
        let slope = (layers[next + 1] as? Activation)?.function.rectifierSlope
      {
        x = norm(x, thenLeakyReLU: slope)
        next += 2
      } else {
        x = layers[next](x)
        next += 1
      }
    }
    return x
  }

  public var namedParameters: [NamedTensor] { prefixed(\.namedParameters) }
  public var namedBuffers: [NamedTensor] { prefixed(\.namedBuffers) }

  public func setTraining(_ training: Bool) {
    for layer in layers { layer.setTraining(training) }
  }

  private func prefixed(_ names: (any Layer) -> [NamedTensor]) -> [NamedTensor] {
    layers.enumerated().flatMap { index, layer in
      names(layer).map { ("layers.\(index).\($0.name)", $0.tensor) }
    }
  }
}

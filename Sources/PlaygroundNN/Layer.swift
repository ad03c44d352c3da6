import PlaygroundCore

/// A named tensor of a layer: `("weight", w)`, or `("layers.0.weight", w)` inside a container.
public typealias NamedTensor = (name: String, tensor: Tensor)

/// A differentiable map with parameters, called like a function (`layer(x)`).
///
/// Parameters are the tensors an optimizer trains; buffers are state that is saved in
/// checkpoints but not trained (batch norm's running statistics). Names follow PyTorch's
/// `state_dict` keys, so checkpoints read naturally in Python.
public protocol Layer: AnyObject {
  /// Applies the layer to a batch.
  func callAsFunction(_ input: Tensor) -> Tensor
  /// The trainable tensors, named relative to this layer.
  var namedParameters: [NamedTensor] { get }
  /// The saved, untrained tensors, named relative to this layer.
  var namedBuffers: [NamedTensor] { get }
  /// Switches between training behaviour (batch statistics, dropout) and evaluation behaviour.
  func setTraining(_ training: Bool)
}

extension Layer {
  public var namedParameters: [NamedTensor] { [] }
  public var namedBuffers: [NamedTensor] { [] }
  public func setTraining(_ training: Bool) {}

  /// The trainable tensors, for an optimizer.
  public var parameters: [Tensor] { namedParameters.map(\.tensor) }

  /// Parameters then buffers: everything a checkpoint holds.
  public var namedState: [NamedTensor] { namedParameters + namedBuffers }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Forgets every parameter's accumulated gradient.
  public func zeroGradients() {
    for parameter in parameters { parameter.zeroGradient() }
  }
}

/// A layer with a weight and an optional bias, named `weight` and `bias` as in PyTorch.
public protocol KernelLayer: Layer {
  var weight: Tensor { get }
  var bias: Tensor? { get }
}

extension KernelLayer {
  public var namedParameters: [NamedTensor] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }
}

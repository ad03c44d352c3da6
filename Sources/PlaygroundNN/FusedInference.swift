import PlaygroundCore

/// A float network's inference as one ``PlaygroundCore/InferenceChain`` on oneDNN: convolutions
/// and dense layers with their bias and ReLU fused, max pooling, activations in oneDNN's layouts
/// from the first layer to the last. Elsewhere (OpenBLAS) it gives `nil` and the layers run one
/// by one.
///
/// The weights are the network's own tensors, read at every call: a plan made before training
/// follows it.
public final class FusedInference {
  let chain: InferenceChain

  /// The plan of `network`, or `nil` when its layers are not a chain of convolutions, max
  /// pooling, flattening, dropout (nothing at inference) and dense layers with ReLU or no
  /// activation — what the classifier's MLP and CNNs are.
  public init?(_ network: Sequential) {
    var stages: [InferenceChain.Stage] = []
    var flattened = false
    for layer in network.layers {
      switch layer {
      case let convolution as Conv2D:
        guard !flattened, let relu = Self.fusesReLU(convolution.activation) else { return nil }
        stages.append(
          .convolution(
            weight: convolution.weight, bias: convolution.bias, stride: convolution.stride,
            padding: convolution.padding, relu: relu))
      case let pool as MaxPool2D:
        guard !flattened else { return nil }
        stages.append(.maxPool(size: pool.size, stride: pool.stride))
      case is Flatten: flattened = true
      case is Dropout: continue
      case let dense as Dense:
        guard flattened, let relu = Self.fusesReLU(dense.activation) else { return nil }
        stages.append(.dense(weight: dense.weight, bias: dense.bias, relu: relu))
      default: return nil
      }
    }
    guard !stages.isEmpty else { return nil }
    chain = InferenceChain(stages)
  }

  /// `true` for ReLU, `false` for none, `nil` for an activation the chain does not fuse.
  static func fusesReLU(_ activation: ActivationFunction) -> Bool? {
    switch activation {
    case .relu: true
    case .identity: false
    default: nil
    }
  }

  /// The network's output for `input`, or `nil` when the backend is not oneDNN or it refuses a
  /// shape.
  public func callAsFunction(_ input: Tensor) -> Tensor? { chain(input) }
}

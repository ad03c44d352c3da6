import PlaygroundCore

/// A quantised network (``PostTrainingQuantization``) run on 8-bit activations from its first
/// dense or convolution layer to its last: the input is quantised once, each layer writes the
/// next one's 8-bit input directly (its scale, bias and ReLU fused into the product), pooling
/// works on bytes, and only the last layer gives floats. It computes what the layers do one by
/// one through floats (``QuantizedKernel``), up to float rounding, in a quarter of the memory
/// traffic.
public final class QuantizedInference {
  enum Step {
    /// 8-bit input to the next layer's 8-bit input.
    case product(QuantizedProduct)
    /// The last quantised layer: 8-bit input to floats.
    case last(QuantizedProduct, ActivationFunction)
    case pool(size: Int, stride: Int)
    /// Per-image shape (flatten: `[-1]`).
    case reshape([Int])
  }

  let inputScale: Float
  let steps: [Step]
  /// The float layers after the last quantised one.
  let tail: [any Layer]
  /// The steps as one oneDNN chain (activations kept in its layouts from layer to layer), where
  /// they are products, pooling and flattening only.
  let chain: InferenceChain?
  /// The last quantised layer's activation, applied to its float output.
  let lastActivation: ActivationFunction

  /// The plan of `network`, or `nil` when its layers are not a chain of quantised dense and
  /// convolution layers with only pooling, flattening, reshaping or dropout between them and
  /// ReLU or no activation before each next one.
  public init?(_ network: Sequential) {
    let kernels = network.layers.indices.filter { network.layers[$0] is QuantizedKernel }
    guard let first = kernels.first, let lastIndex = kernels.last else { return nil }
    var steps: [Step] = []
    for (position, layer) in network.layers[..<lastIndex].enumerated() {
      switch layer {
      case let kernel as QuantizedKernel:
        let next =
          network.layers[(position + 1)...].first { $0 is QuantizedKernel } as! QuantizedKernel
        guard kernel.activation == .relu || kernel.activation == .identity else { return nil }
        steps.append(.product(kernel.product(outputScale: next.inputScale.scalars[0])))
      case let pool as MaxPool2D: steps.append(.pool(size: pool.size, stride: pool.stride))
      case is Flatten: steps.append(.reshape([-1]))
      case let reshape as Reshape: steps.append(.reshape(reshape.targetShape))
      case is Dropout: continue
      default: return nil
      }
    }
    let last = network.layers[lastIndex] as! QuantizedKernel
    steps.append(.last(last.product(outputScale: nil), last.activation))
    inputScale = (network.layers[first] as! QuantizedKernel).inputScale.scalars[0]
    self.steps = steps
    tail = Array(network.layers[(lastIndex + 1)...])
    lastActivation = last.activation
    chain = Self.chain(of: steps)
  }

  /// The chain of `steps`, or `nil` when one of them reshapes other than by flattening.
  static func chain(of steps: [Step]) -> InferenceChain? {
    var stages: [InferenceChain.Stage] = []
    for step in steps {
      switch step {
      case .product(let product), .last(let product, _): stages.append(.quantized(product))
      case .pool(let size, let stride): stages.append(.maxPool(size: size, stride: stride))
      case .reshape(let target):
        guard target == [-1] else { return nil }
      }
    }
    return InferenceChain(stages)
  }

  /// The network's output for a float batch.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    var values = QuantizedProduct.quantize(input.scalars, scale: inputScale)
    if let chained = chain?(quantized: values, shape: input.shape) {
      let output = lastActivation == .relu ? chained : lastActivation(chained)
      return withoutGradient { tail.reduce(output) { $1($0) } }
    }
    var shape = input.shape
    var output = input
    for step in steps {
      switch step {
      case .product(let product):
        (values, shape) = product.requantized(values, shape: shape)
      case .pool(let size, let stride):
        (values, shape) = QuantizedProduct.maxPool(values, shape: shape, size: size, stride: stride)
      case .reshape(let target):
        // A -1 takes what the other sizes leave.
        let rest = shape.dropFirst().reduce(1, *)
        let known = target.filter { $0 != -1 }.reduce(1, *)
        shape = [shape[0]] + target.map { $0 == -1 ? rest / known : $0 }
      case .last(let product, let activation):
        let (floats, outputShape) = product(values, shape: shape)
        let result = Tensor(shape: outputShape, scalars: floats)
        output = activation == .relu ? result : activation(result)
      }
    }
    return withoutGradient { tail.reduce(output) { $1($0) } }
  }
}

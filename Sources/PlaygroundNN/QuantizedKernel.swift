import PlaygroundCore

/// A dense or convolution layer after post-training quantisation (int8 inference): weights as
/// signed 8-bit integers with one float scale per output channel (symmetric), the input as
/// unsigned 8-bit integers with one calibrated scale (zero point 0: the inputs it takes — pixels,
/// ReLU outputs — are never negative).
///
/// `y = activation(s_x · s_w[c] · Σ q_x · q_w + b[c])`, where `q_x = clamp(round(x / s_x), 0,
/// 255)` (ONNX's `QuantizeLinear`, rounding half to even) and the sum is exact in 32-bit
/// integers (``IntegerProducts``): what ONNX's QDQ form of the layer computes (Q → DQ on the
/// input, DQ on the weight, then the float operator), up to float rounding.
/// Reference: Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient
/// Integer-Arithmetic-Only Inference"; Krishnamoorthi 2018, "Quantizing deep convolutional
/// networks for efficient inference: a whitepaper" (per-channel symmetric weights).
public final class QuantizedKernel: Layer {
  /// What the layer computes: `x · Wᵀ` (a ``Dense`` layer) or a ``Conv2D``'s cross-correlation.
  public typealias Operation = QuantizedProduct.Operation

  public let operation: Operation
  /// The quantised weight's integers, −127…127, in the float layer's shape.
  public let weight: Tensor
  /// `[out]`: one positive scale per output channel; weight ≈ `weight · weightScale[c]`.
  public let weightScale: Tensor
  /// A scalar: input ≈ `q_x · inputScale`, `q_x` in 0…255.
  public let inputScale: Tensor
  /// `[out]`, in floats, or `nil`.
  public let bias: Tensor?
  public let activation: ActivationFunction
  private lazy var floatProduct = product(outputScale: nil)

  /// - Precondition: `weight` holds integers in −127…127, `weightScale` has one positive value
  ///   per output channel, `inputScale` is one positive value (``PostTrainingQuantization``
  ///   checks files before building).
  public init(
    operation: Operation, weight: Tensor, weightScale: Tensor, inputScale: Tensor, bias: Tensor?,
    activation: ActivationFunction
  ) {
    precondition(weightScale.shape == [weight.shape[0]] && inputScale.count == 1)
    self.operation = operation
    self.weight = weight
    self.weightScale = weightScale
    self.inputScale = inputScale
    self.bias = bias
    self.activation = activation
  }

  public var namedBuffers: [NamedTensor] {
    [("weight", weight), ("weight_scale", weightScale), ("input_scale", inputScale)]
      + (bias.map { [("bias", $0)] } ?? [])
  }

  public var outputChannels: Int { weight.shape[0] }

  /// The layer's product with its epilogue; with `outputScale`, writing the next layer's 8-bit
  /// input (``QuantizedInference``).
  func product(outputScale: Float?) -> QuantizedProduct {
    QuantizedProduct(
      operation, weights: weight.scalars.map { Int8($0) }, weightShape: weight.shape,
      scales: weightScale.scalars.map { $0 * inputScale.scalars[0] }, bias: bias?.scalars,
      relu: activation == .relu, outputScale: outputScale)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    let quantized = QuantizedProduct.quantize(input.scalars, scale: inputScale.scalars[0])
    let (output, shape) = floatProduct(quantized, shape: input.shape)
    let result = Tensor(shape: shape, scalars: output)
    return activation == .relu ? result : activation(result)
  }
}

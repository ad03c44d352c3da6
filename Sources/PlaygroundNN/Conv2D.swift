import PlaygroundCore

/// A 2-D convolution over NCHW images (PyTorch's `nn.Conv2d`).
public final class Conv2D: KernelLayer {
  /// `[outputChannels, inputChannels, kernelSize, kernelSize]`.
  public let weight: Tensor
  /// `[outputChannels]`, or `nil`.
  public let bias: Tensor?
  /// Step between output positions, in pixels.
  public let stride: Int
  /// Zeros added on every side, in pixels.
  public let padding: Int
  public let activation: ActivationFunction

  /// - Parameters:
  ///   - biasInitializer: zeros by default; `.pytorchDefault` for PyTorch's ±1/√fanIn.
  public init(
    inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    activation: ActivationFunction = .identity, weightInitializer: Initializer = .glorotUniform,
    useBias: Bool = true, biasInitializer: Initializer = .constant(0), generator: RandomGenerator
  ) {
    precondition(
      inputChannels > 0 && outputChannels > 0 && kernelSize > 0,
      "Conv2D channel counts and kernel size must be positive")
    precondition(stride >= 1 && padding >= 0, "Conv2D needs stride ≥ 1 and padding ≥ 0")
    let shape = [outputChannels, inputChannels, kernelSize, kernelSize]
    weight = weightInitializer.parameter(shape, generator: generator)
    bias =
      useBias
      ? biasInitializer.tensor(
        [outputChannels], fans: Initializer.fans(of: shape), generator: generator
      ).requiringGrad() : nil
    self.stride = stride
    self.padding = padding
    self.activation = activation
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    if let slope = activation.rectifierSlope {
      // Inside oneDNN's convolution where it can (a post-op).
      return input.conv2d(
        weight: weight, bias: bias, stride: stride, padding: padding, thenLeakyReLU: slope)
    }
    return activation(
      input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding))
  }
}

import PlaygroundCore

/// A 2-D transposed convolution over NCHW images (PyTorch's `nn.ConvTranspose2d`), the upsampling
/// layer of DCGAN generators. Output size: `(H − 1)·stride − 2·padding + kernelSize + outputPadding`.
public final class ConvTranspose2D: KernelLayer {
  /// `[inputChannels, outputChannels, kernelSize, kernelSize]` (PyTorch's layout).
  public let weight: Tensor
  /// `[outputChannels]`, or `nil`.
  public let bias: Tensor?
  public let stride: Int
  public let padding: Int
  public let outputPadding: Int
  public let activation: ActivationFunction

  public init(
    inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    outputPadding: Int = 0, activation: ActivationFunction = .identity,
    weightInitializer: Initializer = .glorotUniform, useBias: Bool = true,
    generator: RandomGenerator
  ) {
    precondition(
      inputChannels > 0 && outputChannels > 0 && kernelSize > 0,
      "ConvTranspose2D channel counts and kernel size must be positive")
    precondition(
      stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
      "ConvTranspose2D needs stride ≥ 1, padding ≥ 0 and 0 ≤ outputPadding < stride")
    let shape = [inputChannels, outputChannels, kernelSize, kernelSize]
    weight = weightInitializer.parameter(shape, generator: generator)
    bias = useBias ? Tensor.zeros([outputChannels], requiresGrad: true) : nil
    self.stride = stride
    self.padding = padding
    self.outputPadding = outputPadding
    self.activation = activation
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    activation(
      input.convTranspose2d(
        weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding))
  }
}

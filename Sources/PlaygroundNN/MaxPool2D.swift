import PlaygroundCore

/// 2-D max pooling over NCHW images (PyTorch's `nn.MaxPool2d`, no padding).
public final class MaxPool2D: Layer {
  /// Window height and width, in pixels.
  public let size: Int
  /// Step between windows, in pixels.
  public let stride: Int

  public init(size: Int, stride: Int? = nil) {
    precondition(size >= 1 && (stride ?? size) >= 1, "MaxPool2D needs size ≥ 1 and stride ≥ 1")
    self.size = size
    self.stride = stride ?? size
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.maxPool2d(size: size, stride: stride)
  }
}

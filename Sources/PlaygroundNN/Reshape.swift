import PlaygroundCore

/// Reshapes each example, keeping the batch axis: `Reshape([1, 28, 28])` turns `[N, 784]` into
/// `[N, 1, 28, 28]` (Keras' `Reshape`).
public final class Reshape: Layer {
  /// The shape of one example; may contain one `-1`.
  public let targetShape: [Int]

  public init(_ targetShape: [Int]) {
    precondition(targetShape.filter { $0 == -1 }.count <= 1, "Reshape allows at most one -1")
    self.targetShape = targetShape
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.reshaped([input.shape.first ?? 1] + targetShape)
  }
}

import PlaygroundCore

/// A table of learned vectors looked up by index (PyTorch's `nn.Embedding`, initialized from
/// N(0, 1) as there): class labels to vectors in conditional models.
public final class Embedding {
  /// `[count, dimension]`.
  public let weight: Tensor

  public init(count: Int, dimension: Int, generator: RandomGenerator) {
    precondition(count > 0 && dimension > 0, "Embedding needs a positive count and dimension")
    weight = generator.normalTensor([count, dimension]).requiringGrad()
  }

  /// The vectors of `indices`, `[indices.count, dimension]`.
  public func callAsFunction(_ indices: [Int]) -> Tensor {
    weight.selecting(rows: indices)
  }

  public var namedParameters: [NamedTensor] { [("weight", weight)] }
}

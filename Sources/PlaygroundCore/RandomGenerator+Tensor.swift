@_exported import PlaygroundRandom

extension RandomGenerator {
  /// A tensor of uniform samples in `range`.
  public func uniformTensor(_ shape: [Int], in range: Range<Float>) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in uniform(in: range) })
  }

  /// A tensor of normal samples.
  public func normalTensor(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1) -> Tensor
  {
    Tensor(
      shape: shape,
      scalars: (0..<shape.reduce(1, *)).map { _ in
        normal(mean: mean, standardDeviation: standardDeviation)
      })
  }
}

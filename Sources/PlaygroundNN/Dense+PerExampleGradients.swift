import PlaygroundCore

/// For a fully connected layer, example n's weight gradient is the outer product δₙ aₙᵀ of its
/// output's gradient and its input, so its squared norm is ‖δₙ‖²‖aₙ‖² (plus ‖δₙ‖² for the bias)
/// without forming it ("ghost" norms, Goodfellow 2015; Li et al., 2022), and the clipped sum is
/// one product, (f ∘ δ)ᵀ a.
extension Dense: PerExampleGradientLayer {
  public func callAsFunction(_ input: Tensor, tracing trace: ExampleGradientTrace) -> Tensor {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize,
      "Dense(\(inputSize) → \(outputSize)) needs input [batch, \(inputSize)], got \(input.shape)")
    return activation(traced(trace) { input.linear(weight: $0, bias: $1) })
  }

  public func squaredNormsPerExample(_ trace: ExampleGradientTrace) -> [Float] {
    let count = trace.examples
    let outputs = Self.squaredRowNorms(trace.outputGradient ?? [], count: count)
    let inputs = Self.squaredRowNorms(trace.input.scalars, count: count)
    return (0..<count).map { outputs[$0] * (inputs[$0] + (bias == nil ? 0 : 1)) }
  }

  public func weightedSumOfExampleGradients(_ trace: ExampleGradientTrace, factors: [Float])
    -> [[Float]]
  {
    let gradient = trace.outputGradient ?? []
    var scaled = gradient
    scaled.withUnsafeMutableBufferPointer { scaled in
      for (n, factor) in factors.enumerated() {
        let row = scaled.baseAddress! + n * outputSize
        for k in 0..<outputSize { row[k] *= factor }
      }
    }
    let rows = Tensor(shape: [trace.examples, outputSize], scalars: scaled)
    let weightSum = withoutGradient { rows.transposed().matmul(trace.input).scalars }
    guard bias != nil else { return [weightSum] }
    return [weightSum, Self.weightedRowSum(gradient, width: outputSize, factors: factors)]
  }
}

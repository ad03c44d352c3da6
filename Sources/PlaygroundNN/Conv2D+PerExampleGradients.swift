import PlaygroundCore

/// For a convolution, example n's weight gradient δₙ · patches(xₙ) is formed for each example
/// (its norm has no shortcut cheaper than that at these sizes: the "ghost" form needs the
/// positions² Gram matrices), kept for the clipped sum; the bias's is δₙ summed over positions.
extension Conv2D: PerExampleGradientLayer {
  public func callAsFunction(_ input: Tensor, tracing trace: ExampleGradientTrace) -> Tensor {
    activation(
      traced(trace) { input.conv2d(weight: $0, bias: $1, stride: stride, padding: padding) })
  }

  public func squaredNormsPerExample(_ trace: ExampleGradientTrace) -> [Float] {
    let gradient = trace.outputGradient ?? []
    trace.weightGradients = Tensor.conv2dWeightGradientPerExample(
      input: trace.input, outputGradient: gradient, kernel: weight.shape, stride: stride,
      padding: padding)
    var norms = Self.squaredRowNorms(trace.weightGradients, count: trace.examples)
    if bias != nil {
      // Each example's bias gradient, [N, O]: its output gradient summed over positions.
      trace.biasGradients = Self.rowSums(gradient, count: trace.examples * weight.shape[0])
      let biases = Self.squaredRowNorms(trace.biasGradients, count: trace.examples)
      for n in norms.indices { norms[n] += biases[n] }
    }
    return norms
  }

  public func weightedSumOfExampleGradients(_ trace: ExampleGradientTrace, factors: [Float])
    -> [[Float]]
  {
    if trace.weightGradients.isEmpty { _ = squaredNormsPerExample(trace) }
    let weightSum = Self.weightedRowSum(
      trace.weightGradients, width: weight.count, factors: factors)
    guard bias != nil else { return [weightSum] }
    return [
      weightSum,
      Self.weightedRowSum(trace.biasGradients, width: weight.shape[0], factors: factors),
    ]
  }
}

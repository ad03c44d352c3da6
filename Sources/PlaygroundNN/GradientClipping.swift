import PlaygroundCore

/// Scales all gradients together so that their global L2 norm is at most `maxNorm`
/// (PyTorch's `clip_grad_norm_`, same 1e-6 guard).
/// - Returns: the global norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  precondition(maxNorm > 0, "maxNorm must be positive, got \(maxNorm)")
  var sumOfSquares: Double = 0
  for parameter in parameters {
    for g in parameter.gradient ?? [] { sumOfSquares += Double(g) * Double(g) }
  }
  let norm = Float(sumOfSquares.squareRoot())
  let factor = maxNorm / (norm + 1e-6)
  if factor < 1 {
    for parameter in parameters { parameter.scaleGradient(by: factor) }
  }
  return norm
}

import PlaygroundCore

/// The first element where `actual` and `expected` differ by more than `absolute` and by more
/// than `relative` of the expected value, described for a test failure; `nil` when all agree.
public func mismatch(
  _ actual: [Float], _ expected: [Double], relative: Double = 1e-4, absolute: Double = 1e-5
) -> String? {
  guard actual.count == expected.count else {
    return "count \(actual.count) differs from expected \(expected.count)"
  }
  for (i, (a, e)) in zip(actual, expected).enumerated() {
    let error = Swift.abs(Double(a) - e)
    if error > absolute && error > relative * Swift.abs(e) {
      return "element \(i): \(a) vs expected \(e) (error \(error))"
    }
  }
  return nil
}

/// Runs `function` on `inputs` (leaves with gradients), backpropagates `sum(output · upstream)`,
/// and returns the output and each input's gradient.
public func outputAndGradients(
  _ inputs: [Tensor], upstream: Tensor? = nil, _ function: ([Tensor]) -> Tensor
) -> (output: Tensor, gradients: [[Float]]) {
  for input in inputs { input.zeroGradient() }
  let output = function(inputs)
  output.backward(seed: upstream?.scalars ?? defaultUpstream(count: output.count))
  return (output, inputs.map { $0.gradient ?? [Float](repeating: 0, count: $0.count) })
}

/// Central finite differences of `sum(function(inputs) · upstream)` with respect to every
/// element of every input, in double precision of the step but Float arithmetic.
public func numericalGradients(
  _ inputs: [Tensor], upstream: [Float], step: Float = 1e-2, _ function: ([Tensor]) -> Tensor
) -> [[Double]] {
  func objective() -> Double {
    let output = withoutGradient { function(inputs) }
    return zip(output.scalars, upstream).reduce(0) { $0 + Double($1.0) * Double($1.1) }
  }
  return inputs.map { input in
    (0..<input.count).map { i in
      let original = input.scalars[i]
      input.scalars[i] = original + step
      let plus = objective()
      input.scalars[i] = original - step
      let minus = objective()
      input.scalars[i] = original
      return (plus - minus) / (2 * Double(step))
    }
  }
}

/// Compares analytic gradients with finite differences; `nil` when they agree.
public func gradientCheck(
  _ inputs: [Tensor], relative: Double = 2e-2, absolute: Double = 2e-3, step: Float = 1e-2,
  _ function: ([Tensor]) -> Tensor
) -> String? {
  let (output, analytic) = outputAndGradients(inputs, function)
  let upstream = defaultUpstream(count: output.count)
  let numeric = numericalGradients(inputs, upstream: upstream, step: step, function)
  for (index, (a, n)) in zip(analytic, numeric).enumerated() {
    if let problem = mismatch(a, n, relative: relative, absolute: absolute) {
      return "input \(index): \(problem)"
    }
  }
  return nil
}

/// Fixed, uneven weights for the output elements, so that every element's gradient is tested.
func defaultUpstream(count: Int) -> [Float] {
  (0..<count).map { (i: Int) -> Float in Float((i * 7919) % 13) / 13 - 0.4 }
}

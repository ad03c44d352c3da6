extension Tensor {
  /// The sum of all elements, as a rank-0 tensor.
  public func sum() -> Tensor {
    reshaped([count]).sum(alongAxes: [0])
  }

  /// The mean of all elements, as a rank-0 tensor.
  public func mean() -> Tensor {
    sum().scaled(by: 1 / Float(Swift.max(count, 1)))
  }

  /// The largest element, as a rank-0 tensor; the gradient goes to its first occurrence.
  public func max() -> Tensor {
    reshaped([count]).max(alongAxes: [0])
  }

  /// Sums over `axes` (negative axes count from the end), keeping them as size 1 if `keepingAxes`.
  public func sum(alongAxes axes: [Int], keepingAxes: Bool = false) -> Tensor {
    reduce(axes, keepingAxes: keepingAxes) { $0.sum(alongAxis: $1) }
  }

  /// Averages over `axes` (negative axes count from the end).
  public func mean(alongAxes axes: [Int], keepingAxes: Bool = false) -> Tensor {
    let n = normalized(axes).reduce(1) { $0 * shape[$1] }
    return sum(alongAxes: axes, keepingAxes: keepingAxes).scaled(by: 1 / Float(Swift.max(n, 1)))
  }

  /// The maximum over `axes`; the gradient goes to the first maximal element of each slice.
  public func max(alongAxes axes: [Int], keepingAxes: Bool = false) -> Tensor {
    reduce(axes, keepingAxes: keepingAxes) { $0.max(alongAxis: $1) }
  }

  /// For each slice along the last axis, the index of its largest element (first on ties).
  /// - Precondition: rank ≥ 1 and the last axis is not empty.
  public func argmaxLastAxis() -> [Int] {
    precondition(
      rank >= 1 && shape[rank - 1] > 0, "argmax needs a non-empty last axis, got \(shape)")
    let n = shape[rank - 1]
    return (0..<(count / n)).map { row in
      var best = 0
      for j in 1..<n where scalars[row * n + j] > scalars[row * n + best] { best = j }
      return best
    }
  }

  /// Normalizes possibly negative axes and checks them.
  func normalized(_ axes: [Int]) -> [Int] {
    axes.map { axis in
      let a = axis < 0 ? axis + rank : axis
      precondition(a >= 0 && a < rank, "axis \(axis) is out of range for shape \(shape)")
      return a
    }
  }

  /// Applies a one-axis reduction (that keeps the axis as size 1) to each axis in turn.
  private func reduce(
    _ axes: [Int], keepingAxes: Bool, _ one: (Tensor, Int) -> Tensor
  ) -> Tensor {
    let axes = Set(normalized(axes))
    var result = self
    for axis in axes.sorted() { result = one(result, axis) }
    if keepingAxes { return result }
    return result.reshaped(shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
  }

  /// The sizes before, along and after `axis`: the tensor seen as `[outer, n, inner]`.
  func split(at axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// Sum along one axis, kept with size 1.
  private func sum(alongAxis axis: Int) -> Tensor {
    let (outer, n, inner) = split(at: axis)
    var output = [Float](repeating: 0, count: outer * inner)
    scalars.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          for j in 0..<n {
            let base = (o * n + j) * inner
            for i in 0..<inner { y[o * inner + i] += x[base + i] }
          }
        }
      }
    }
    var outShape = shape
    outShape[axis] = 1
    let input = self
    return .result(shape: outShape, scalars: output, inputs: [input]) { g in
      var dx = [Float](repeating: 0, count: outer * n * inner)
      for o in 0..<outer {
        for j in 0..<n {
          for i in 0..<inner { dx[(o * n + j) * inner + i] = g[o * inner + i] }
        }
      }
      input.accumulateGradient(dx)
    }
  }

  /// Maximum along one axis, kept with size 1.
  private func max(alongAxis axis: Int) -> Tensor {
    let (outer, n, inner) = split(at: axis)
    precondition(n > 0, "max over an empty axis of shape \(shape)")
    var output = [Float](repeating: 0, count: outer * inner)
    var winners = [Int](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        var best = o * n * inner + i
        for j in 1..<n where scalars[(o * n + j) * inner + i] > scalars[best] {
          best = (o * n + j) * inner + i
        }
        output[o * inner + i] = scalars[best]
        winners[o * inner + i] = best
      }
    }
    var outShape = shape
    outShape[axis] = 1
    let input = self
    return .result(shape: outShape, scalars: output, inputs: [input]) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for (k, w) in winners.enumerated() { dx[w] += g[k] }
      input.accumulateGradient(dx)
    }
  }
}

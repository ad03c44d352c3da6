extension Tensor {
  /// One element per row of a `[n, m]` matrix: `result[i] = self[i, indices[i]]`, shape `[n]`
  /// (PyTorch's `x.gather(1, indices[:, None]).squeeze(1)`; e.g. the Q-value of the action taken).
  /// - Precondition: one index per row, each in `0..<m`.
  public func gathering(columns indices: [Int]) -> Tensor {
    precondition(
      rank == 2 && indices.count == shape[0],
      "gathering(columns:) needs a [n, m] matrix and n indices, got \(shape) and \(indices.count)")
    let m = shape[1]
    for index in indices {
      precondition(index >= 0 && index < m, "column index \(index) is out of range 0..<\(m)")
    }
    let output = indices.enumerated().map { scalars[$0.offset * m + $0.element] }
    let input = self
    return .result(shape: [indices.count], scalars: output, inputs: [input]) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for (row, column) in indices.enumerated() { dx[row * m + column] += g[row] }
      input.accumulateGradient(dx)
    }
  }

  /// The slices at `indices` along axis 0, in that order (PyTorch's `index_select(0, …)`; an
  /// embedding lookup). Repeated indices add their gradients.
  /// - Precondition: each index is in `0..<shape[0]`.
  public func selecting(rows indices: [Int]) -> Tensor {
    precondition(rank >= 1, "selecting(rows:) needs rank ≥ 1")
    let width = count / Swift.max(shape[0], 1)
    var output = [Float]()
    output.reserveCapacity(indices.count * width)
    for index in indices {
      precondition(
        index >= 0 && index < shape[0], "row index \(index) is out of range 0..<\(shape[0])")
      output += scalars[(index * width)..<((index + 1) * width)]
    }
    let input = self
    return .result(shape: [indices.count] + shape.dropFirst(), scalars: output, inputs: [input]) {
      g in
      var dx = [Float](repeating: 0, count: input.count)
      for (k, index) in indices.enumerated() {
        for j in 0..<width { dx[index * width + j] += g[k * width + j] }
      }
      input.accumulateGradient(dx)
    }
  }

  /// Rows of one-hot vectors: `[labels.count, depth]` with a 1 at each label.
  /// - Precondition: each label is in `0..<depth`.
  public static func oneHot(_ labels: [Int], depth: Int) -> Tensor {
    var scalars = [Float](repeating: 0, count: labels.count * depth)
    for (row, label) in labels.enumerated() {
      precondition(
        label >= 0 && label < depth, "one-hot label \(label) is out of range 0..<\(depth)")
      scalars[row * depth + label] = 1
    }
    return Tensor(shape: [labels.count, depth], scalars: scalars)
  }
}

extension Tensor {
  /// The entries whose index along `axis` lies in `range` (PyTorch's `narrow`); the gradient
  /// flows back into those entries only.
  public func narrowed(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
    let axis = normalized([axis])[0]
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "narrowed: \(range) is out of range for axis \(axis) of shape \(shape)")
    let (outer, n, inner) = split(at: axis)
    let (width, start) = (range.count * inner, range.lowerBound * inner)
    var y = [Float](repeating: 0, count: outer * width)
    for o in 0..<outer {
      y[(o * width)..<((o + 1) * width)] =
        scalars[(o * n * inner + start)..<(o * n * inner + start + width)]
    }
    var newShape = shape
    newShape[axis] = range.count
    let input = self
    return .result(shape: newShape, scalars: y, inputs: [input]) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for o in 0..<outer {
        dx[(o * n * inner + start)..<(o * n * inner + start + width)] =
          g[(o * width)..<((o + 1) * width)]
      }
      input.accumulateGradient(dx)
    }
  }
}

extension Tensor {
  /// The same elements with a new shape; one axis may be `-1` and is then inferred.
  /// - Precondition: the element counts agree.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var target = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) {
        $0 * $1.element
      }
      precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
      target[inferred] = count / known
    }
    precondition(
      target.reduce(1, *) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
    if target == shape { return self }
    let input = self
    return .result(shape: target, scalars: scalars, inputs: [input]) { g in
      input.accumulateGradient(g)
    }
  }

  /// Collapses every axis after the first: `[n, a, b, …] → [n, a·b·…]`.
  public func flattened() -> Tensor {
    reshaped([shape.first ?? 1, -1])
  }

  /// The axes reordered: axis `i` of the result is axis `permutation[i]` of `self`.
  /// - Precondition: `permutation` is a permutation of `0..<rank`.
  public func permuted(_ permutation: [Int]) -> Tensor {
    precondition(
      permutation.sorted() == Array(0..<rank),
      "permutation \(permutation) does not fit shape \(shape)")
    if permutation == Array(0..<rank) { return self }
    let outShape = permutation.map { shape[$0] }
    let offsets = Tensor.permutationOffsets(shape: shape, permutation: permutation)
    var output = [Float](repeating: 0, count: count)
    scalars.withUnsafeBufferPointer { x in
      for (i, o) in offsets.enumerated() { output[i] = x[o] }
    }
    let input = self
    return .result(shape: outShape, scalars: output, inputs: [input]) { g in
      var dx = [Float](repeating: 0, count: g.count)
      for (i, o) in offsets.enumerated() { dx[o] = g[i] }
      input.accumulateGradient(dx)
    }
  }

  /// The last two axes swapped (a matrix transpose).
  /// - Precondition: rank ≥ 2.
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed() needs rank ≥ 2, got \(shape)")
    var permutation = Array(0..<rank)
    permutation.swapAt(rank - 1, rank - 2)
    return permuted(permutation)
  }

  /// For each element of the permuted tensor, the offset of the source element.
  static func permutationOffsets(shape: [Int], permutation: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    let permutedStrides = permutation.map { strides[$0] }
    let permutedShape = permutation.map { shape[$0] }
    // Broadcasting's odometer walks any strides; reuse it by treating them as a source layout.
    return Tensor.walk(shape: permutedShape, strides: permutedStrides)
  }

  /// Offsets `Σ indexᵢ · strideᵢ` of every multi-index of `shape`, in row-major order.
  static func walk(shape: [Int], strides: [Int]) -> [Int] {
    let count = shape.reduce(1, *)
    var result = [Int](repeating: 0, count: count)
    guard count > 0 else { return result }
    var index = [Int](repeating: 0, count: shape.count)
    var offset = 0
    for i in 0..<count {
      result[i] = offset
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        offset += strides[axis]
        if index[axis] < shape[axis] { break }
        offset -= strides[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  /// Joins tensors along `axis`; every other axis must agree.
  public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
    let first = tensors[0]
    let axis = first.normalized([axis])[0]
    for t in tensors {
      precondition(
        t.rank == first.rank
          && t.shape.indices.allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
        "concatenate along axis \(axis): shapes \(tensors.map(\.shape)) differ off that axis")
    }
    let outer = first.shape[..<axis].reduce(1, *)
    let inner = first.shape[(axis + 1)...].reduce(1, *)
    let widths = tensors.map { $0.shape[axis] * inner }
    let total = widths.reduce(0, +)
    var output = [Float]()
    output.reserveCapacity(outer * total)
    for o in 0..<outer {
      for (t, w) in Swift.zip(tensors, widths) { output += t.scalars[(o * w)..<((o + 1) * w)] }
    }
    var outShape = first.shape
    outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
    return .result(shape: outShape, scalars: output, inputs: tensors) { g in
      var start = 0
      for (t, w) in Swift.zip(tensors, widths) {
        if t.requiresGrad {
          var dt = [Float]()
          dt.reserveCapacity(outer * w)
          for o in 0..<outer { dt += g[(o * total + start)..<(o * total + start + w)] }
          t.accumulateGradient(dt)
        }
        start += w
      }
    }
  }
}

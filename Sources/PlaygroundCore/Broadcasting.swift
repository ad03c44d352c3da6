/// NumPy's broadcasting rules: shapes are aligned at their last axis, and an axis of size 1 (or a
/// missing one) stretches to the other's size.
enum Broadcasting {
  /// The shape two operands broadcast to, or `nil` when they are incompatible.
  static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
      let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
      guard x == y || x == 1 || y == 1 else { return nil }
      result[axis] = x == 1 ? y : x
    }
    return result
  }

  /// For each element of `target` (row-major), the offset of the element of `source` it reads.
  /// - Precondition: `source` broadcasts to `target`.
  static func offsets(from source: [Int], to target: [Int]) -> [Int] {
    let rank = target.count
    let padded = [Int](repeating: 1, count: rank - source.count) + source
    // The source's strides, 0 along stretched axes.
    var strides = [Int](repeating: 0, count: rank)
    var step = 1
    for axis in stride(from: rank - 1, through: 0, by: -1) {
      strides[axis] = padded[axis] == 1 ? 0 : step
      step *= padded[axis]
    }
    return Tensor.walk(shape: target, strides: strides)
  }
}

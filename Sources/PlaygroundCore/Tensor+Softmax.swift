#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Tensor {
  /// `exp(x) / Σ exp(x)` along `axis` (default: the last), computed stably.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalized([axis])[0]
    let (outer, n, inner) = split(at: axis)
    let y = Tensor.softmax(scalars, outer: outer, n: n, inner: inner, log: false)
    let input = self
    return .result(shape: shape, scalars: y, inputs: [input]) { g in
      // dx = y ⊙ (g − Σ g·y)
      var dx = [Float](repeating: 0, count: g.count)
      Tensor.forEachSlice(outer: outer, n: n, inner: inner) { offsets in
        var dot: Float = 0
        for k in offsets { dot += g[k] * y[k] }
        for k in offsets { dx[k] = y[k] * (g[k] - dot) }
      }
      input.accumulateGradient(dx)
    }
  }

  /// `x − log Σ exp(x)` along `axis` (default: the last), computed stably.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalized([axis])[0]
    let (outer, n, inner) = split(at: axis)
    let y = Tensor.softmax(scalars, outer: outer, n: n, inner: inner, log: true)
    let input = self
    return .result(shape: shape, scalars: y, inputs: [input]) { g in
      // dx = g − softmax(x) · Σ g
      var dx = [Float](repeating: 0, count: g.count)
      Tensor.forEachSlice(outer: outer, n: n, inner: inner) { offsets in
        var total: Float = 0
        for k in offsets { total += g[k] }
        for k in offsets { dx[k] = g[k] - expf(y[k]) * total }
      }
      input.accumulateGradient(dx)
    }
  }

  /// Calls `body` with the offsets of each slice along the middle axis of `[outer, n, inner]`.
  static func forEachSlice(outer: Int, n: Int, inner: Int, _ body: (StrideTo<Int>) -> Void) {
    for o in 0..<outer {
      for i in 0..<inner {
        let start = o * n * inner + i
        body(stride(from: start, to: start + n * inner, by: inner))
      }
    }
  }

  /// Softmax (or log-softmax) of each slice, shifted by its maximum for stability.
  static func softmax(_ x: [Float], outer: Int, n: Int, inner: Int, log: Bool) -> [Float] {
    var y = [Float](repeating: 0, count: x.count)
    forEachSlice(outer: outer, n: n, inner: inner) { offsets in
      var top = -Float.infinity
      for k in offsets { top = Swift.max(top, x[k]) }
      var total: Float = 0
      for k in offsets {
        y[k] = expf(x[k] - top)
        total += y[k]
      }
      if log {
        let logTotal = logf(total) + top
        for k in offsets { y[k] = x[k] - logTotal }
      } else {
        for k in offsets { y[k] /= total }
      }
    }
    return y
  }
}

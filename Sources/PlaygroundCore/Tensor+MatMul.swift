extension Tensor {
  /// The matrix product of two rank-2 tensors, `[m, k] · [k, n] → [m, n]`, through `cblas_sgemm`.
  /// - Precondition: the inner sizes agree.
  public func matmul(_ other: Tensor) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
      "matmul needs [m, k] · [k, n], got \(shape) · \(other.shape)")
    let (m, k, n) = (shape[0], shape[1], other.shape[1])
    let a = self
    let b = other
    let product = Tensor.gemm(a.scalars, b.scalars, m: m, n: n, k: k)
    return .result(shape: [m, n], scalars: product, inputs: [a, b]) { g in
      // dA = G · Bᵀ, dB = Aᵀ · G
      if a.requiresGrad {
        a.accumulateGradient(Tensor.gemm(g, b.scalars, m: m, n: k, k: n, transposeB: true))
      }
      if b.requiresGrad {
        b.accumulateGradient(Tensor.gemm(a.scalars, g, m: k, n: n, k: m, transposeA: true))
      }
    }
  }

  /// A fully connected layer's map, `x · Wᵀ + b`, with PyTorch's weight layout `[out, in]`.
  ///
  /// One fused operation: a single GEMM forward, two backward, the bias added in place.
  /// - Parameters:
  ///   - weight: `[out, in]`.
  ///   - bias: `[out]`, or `nil`.
  /// - Precondition: `self` is `[batch, in]`.
  public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(
      rank == 2 && weight.rank == 2 && weight.shape[1] == shape[1],
      "linear needs input [batch, in] and weight [out, in], got \(shape) and \(weight.shape)")
    let (batch, inFeatures, outFeatures) = (shape[0], shape[1], weight.shape[0])
    if let bias {
      precondition(
        bias.shape == [outFeatures], "linear bias must be [\(outFeatures)], got \(bias.shape)")
    }
    let x = self
    var y = [Float](repeating: 0, count: batch * outFeatures)
    if let bias {
      bias.scalars.withUnsafeBufferPointer { b in
        y.withUnsafeMutableBufferPointer { out in
          for row in 0..<batch {
            let base = row * outFeatures
            for j in 0..<outFeatures { out[base + j] = b[j] }
          }
        }
      }
    }
    Tensor.gemm(
      x.scalars, weight.scalars, into: &y, m: batch, n: outFeatures, k: inFeatures,
      transposeB: true, beta: bias == nil ? 0 : 1)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return .result(shape: [batch, outFeatures], scalars: y, inputs: inputs) { g in
      if x.requiresGrad {
        x.accumulateGradient(
          Tensor.gemm(g, weight.scalars, m: batch, n: inFeatures, k: outFeatures))
      }
      if weight.requiresGrad {
        weight.accumulateGradient(
          Tensor.gemm(g, x.scalars, m: outFeatures, n: inFeatures, k: batch, transposeA: true))
      }
      if let bias, bias.requiresGrad {
        bias.accumulateGradient(sumRows(g, rows: batch, columns: outFeatures))
      }
    }
  }

  /// `op(A) · op(B)` as a new array, where `op(A)` is `m × k` and `op(B)` is `k × n`.
  static func gemm(
    _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool = false,
    transposeB: Bool = false
  ) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    gemm(a, b, into: &c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
    return c
  }

  /// `C = op(A) · op(B) + beta · C`.
  static func gemm(
    _ a: [Float], _ b: [Float], into c: inout [Float], m: Int, n: Int, k: Int,
    transposeA: Bool = false, transposeB: Bool = false, beta: Float = 0
  ) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
      if beta == 0 { for i in c.indices { c[i] = 0 } }
      return
    }
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          Compute.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!,
            b: b.baseAddress!, beta: beta, c: c.baseAddress!)
        }
      }
    }
  }
}

/// Column sums of a row-major `rows × columns` matrix.
func sumRows(_ g: [Float], rows: Int, columns: Int) -> [Float] {
  g.withUnsafeBufferPointer { sumRows($0.baseAddress!, rows: rows, columns: columns) }
}

/// The column sums of the `rows × columns` row-major matrix at `g`, added row by row.
func sumRows(_ g: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
  var sums = [Float](repeating: 0, count: columns)
  sums.withUnsafeMutableBufferPointer { s in
    for row in 0..<rows {
      let base = g + row * columns
      for j in 0..<columns { s[j] += base[j] }
    }
  }
  return sums
}

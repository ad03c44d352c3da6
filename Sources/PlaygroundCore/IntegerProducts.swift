/// Products of quantised operands — unsigned 8-bit activations with signed 8-bit weights —
/// accumulated exactly in 32-bit integers, the core of int8 inference (see PlaygroundNN's
/// `QuantizedKernel`).
///
/// On the oneDNN backend, on a CPU with 8-bit dot products, they run on oneDNN's integer
/// primitives (`u8 × s8 → s32`, AVX-512 VNNI's `vpdpbusd`). Elsewhere, and for a shape oneDNN
/// refuses, each activation is
/// split into its high and low four bits and both halves go through the backend's float
/// products: every partial sum is then an integer below 2²⁴ (for up to 8,738 products per
/// output), which floats hold exactly, so both ways give the same integers.
public enum IntegerProducts {
  /// How products are computed under `settings`: `"oneDNN int8 (avx512_core_vnni)"` or
  /// `"split float (openblas)"`, for summaries.
  public static func engine(_ settings: ComputeSettings = Compute.settings) -> String {
    usesOneDNN(settings)
      ? "oneDNN int8 (\(OneDNN.shared.isaName))" : "split float (\(settings.backend.rawValue))"
  }

  static func usesOneDNN(_ settings: ComputeSettings) -> Bool {
    settings.backend == .onednn && OneDNN.shared.hasIntegerDotProducts
  }

  /// 2-D cross-correlation (PyTorch's `conv2d`) of an NCHW batch.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` values.
  ///   - weight: `[O, C, kh, kw]` values.
  /// - Returns: `[N, O, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1]` sums and that shape.
  public static func convolution(
    input: [UInt8], shape: [Int], weight: [Int8], weightShape: [Int], stride: Int, padding: Int
  ) -> (sums: [Int32], shape: [Int]) {
    precondition(shape.count == 4 && weightShape.count == 4 && shape[1] == weightShape[1])
    precondition(input.count == shape.reduce(1, *) && weight.count == weightShape.reduce(1, *))
    let key = ConvolutionKey(
      convolving: shape, weightShape: weightShape, stride: stride, padding: padding,
      hasBias: false)
    let output = key.output
    let settings = Compute.settings
    if usesOneDNN(settings) {
      if let sums = OneDNN.shared.integerConvolution(
        key, input: input, weight: weight, threads: settings.threads(forProduct: key.multiplyAdds))
      {
        return (sums, output)
      }
    }
    let weights = Tensor(shape: weightShape, scalars: weight.map(Float.init))
    let sums = splitting(input, depth: weightShape.dropFirst().reduce(1, *)) { half in
      Tensor(shape: shape, scalars: half).conv2d(weight: weights, stride: stride, padding: padding)
        .scalars
    }
    return (sums, output)
  }

  /// `a · bᵀ` for `a` `[m, k]` and `b` `[n, k]` (a dense layer's weight as stored): `[m, n]`.
  public static func matrixProduct(a: [UInt8], m: Int, k: Int, b: [Int8], n: Int) -> [Int32] {
    precondition(a.count == m * k && b.count == n * k)
    let settings = Compute.settings
    if usesOneDNN(settings),
      let sums = OneDNN.shared.integerMatrixProduct(
        m: m, k: k, n: n, a: a, b: b, threads: settings.threads(forProduct: m * k * n))
    {
      return sums
    }
    let weights = b.map(Float.init)
    return splitting(a, depth: k) { half in
      Tensor.gemm(half, weights, m: m, n: n, k: k, transposeB: true)
    }
  }

  /// `16 · f(high nibbles) + f(low nibbles)` for a float product `f` that sums `depth` products
  /// per output, exact on them.
  private static func splitting(_ values: [UInt8], depth: Int, _ product: ([Float]) -> [Float])
    -> [Int32]
  {
    precondition(depth <= exactLimit, "integer products of depth \(depth) > \(exactLimit)")
    let high = withoutGradient { product(values.map { Float($0 >> 4) }) }
    let low = withoutGradient { product(values.map { Float($0 & 15) }) }
    return zip(high, low).map { Int32($0) * 16 + Int32($1) }
  }

  /// The most products per output that the split float path keeps exact: 2²⁴ / (15 · 128).
  static let exactLimit = (1 << 24) / (15 * 128)
}

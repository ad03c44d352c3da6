#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension RandomGenerator {
  /// `count` normal deviates: the same values, in the same order, that `count` calls of
  /// ``normal(mean:standardDeviation:)`` return, with the generator left in the same state.
  ///
  /// The uniform draws are made here, in order; the Box–Muller transforms (a logarithm, a sine
  /// and a cosine per pair: most of the cost) are computed pair by pair through `forEachChunk`,
  /// which may split the pairs `0..<pairs` across threads (each pair's arithmetic is the same on
  /// any thread): DP-SGD's noise, a deviate per trained parameter in every step.
  /// - Parameter forEachChunk: calls its closure with sub-ranges covering `0..<pairs`; the
  ///   second argument is the work, in elements, for choosing a thread count.
  public func normals(
    count: Int, mean: Float = 0, standardDeviation: Float = 1,
    forEachChunk: (_ pairs: Int, _ work: Int, (Range<Int>) -> Void) -> Void = { pairs, _, body in
      body(0..<pairs)
    }
  ) -> [Float] {
    precondition(count >= 0, "normals(count:) needs a count ≥ 0, got \(count)")
    guard count > 0 else { return [] }
    var first: Float?
    if let spare = spareNormal {
      spareNormal = nil
      first = mean + standardDeviation * Float(spare)
    }
    let start = first == nil ? 0 : 1
    let pairs = (count - start + 1) / 2
    var uniforms = [Double](repeating: 0, count: 2 * pairs)
    for p in 0..<pairs {
      var u = unitDouble()
      while u == 0 { u = unitDouble() }
      uniforms[2 * p] = u
      uniforms[2 * p + 1] = unitDouble()
    }
    return [Float](unsafeUninitializedCapacity: count) { values, initialized in
      if let first { values[0] = first }
      let target = values.baseAddress! + start
      uniforms.withUnsafeBufferPointer { uniforms in
        forEachChunk(pairs, 32 * pairs) { range in
          for p in range {
            let (u, v) = (uniforms[2 * p], uniforms[2 * p + 1])
            let radius = (-2 * log(u)).squareRoot()
            target[2 * p] = mean + standardDeviation * Float(radius * cos(2 * Double.pi * v))
            if start + 2 * p + 1 < count {
              target[2 * p + 1] = mean + standardDeviation * Float(radius * sin(2 * Double.pi * v))
            }
          }
        }
      }
      // An odd count leaves the last pair's second deviate for the next call, as normal() does.
      if (count - start) % 2 == 1 {
        let (u, v) = (uniforms[2 * pairs - 2], uniforms[2 * pairs - 1])
        spareNormal = (-2 * log(u)).squareRoot() * sin(2 * Double.pi * v)
      }
      initialized = count
    }
  }
}

import PlaygroundCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The sinusoidal embedding of a scalar such as a time (Vaswani et al., 2017; the diffusion
/// U-Nets of Ho et al., 2020): for t and `dimension` = 2h, `[sin(s·t·f₀), …, sin(s·t·f_{h−1}),
/// cos(s·t·f₀), …]` with frequencies fₖ = 10000^(−k/h) and a scale s (1000 for t in [0, 1], so
/// that the fastest frequency turns many times across the interval). Not trained.
public struct SinusoidalEmbedding: Sendable {
  /// The length of each embedding (even).
  public let dimension: Int
  /// The factor applied to t first.
  public let scale: Float

  public init(dimension: Int, scale: Float = 1000) {
    precondition(
      dimension >= 2 && dimension % 2 == 0,
      "SinusoidalEmbedding needs an even dimension ≥ 2, got \(dimension)")
    self.dimension = dimension
    self.scale = scale
  }

  /// The frequencies f₀ … f_{h−1}, in float32.
  public var frequencies: [Float] {
    let half = dimension / 2
    return (0..<half).map { expf(-logf(10000) * Float($0) / Float(half)) }
  }

  /// `[times.count, dimension]`, computed in float32 as PyTorch does: sin and cos of
  /// (t · s) · fₖ.
  public func callAsFunction(_ times: [Float]) -> Tensor {
    let half = dimension / 2
    let frequencies = frequencies
    var scalars = [Float](repeating: 0, count: times.count * dimension)
    for (row, t) in times.enumerated() {
      for (k, frequency) in frequencies.enumerated() {
        let angle = t * scale * frequency
        scalars[row * dimension + k] = sinf(angle)
        scalars[row * dimension + half + k] = cosf(angle)
      }
    }
    return Tensor(shape: [times.count, dimension], scalars: scalars)
  }
}

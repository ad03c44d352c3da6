import PlaygroundKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ``Adam`` (PyTorch's convention) for each network of a ``StackedMLP`` on its own: its moments,
/// its step count, its gradient clipped by its own norm.
public final class StackedAdam {
  public let networks: StackedMLP
  public let learningRate: Float
  public let beta1: Float = 0.9
  public let beta2: Float = 0.999
  public let epsilon: Float = 1e-8
  private let m: UnsafeMutablePointer<Float>
  private let v: UnsafeMutablePointer<Float>
  /// Steps taken by each network (a buffer: networks step from different threads).
  private let stepCounts: UnsafeMutablePointer<Int>

  public init(for networks: StackedMLP, learningRate: Float) {
    self.networks = networks
    self.learningRate = learningRate
    let total = networks.count * networks.parameterCount
    m = .allocate(capacity: total)
    m.initialize(repeating: 0, count: total)
    v = .allocate(capacity: total)
    v.initialize(repeating: 0, count: total)
    stepCounts = .allocate(capacity: networks.count)
    stepCounts.initialize(repeating: 0, count: networks.count)
  }

  /// Steps network `i` has taken.
  public func steps(_ i: Int) -> Int { stepCounts[i] }

  deinit {
    m.deallocate()
    v.deallocate()
    stepCounts.deallocate()
  }

  /// Scales `gradient` (network `i`'s, ``StackedMLP/parameterCount`` floats) so that its norm is
  /// at most `maxNorm`, as ``clipGradientNorm(_:maxNorm:)``: by maxNorm / (norm + 1e-6) when
  /// that is below 1. Returns the norm before clipping.
  @discardableResult
  public func clip(_ gradient: UnsafeMutablePointer<Float>, maxNorm: Float) -> Float {
    var sumOfSquares: Double = 0
    for j in 0..<networks.parameterCount {
      sumOfSquares += Double(gradient[j]) * Double(gradient[j])
    }
    let norm = Float(sumOfSquares.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 { for j in 0..<networks.parameterCount { gradient[j] *= factor } }
    return norm
  }

  /// One Adam step of network `i` with `gradient`. Safe to call for different networks from
  /// different threads.
  public func step(_ i: Int, gradient: UnsafePointer<Float>) {
    stepCounts[i] += 1
    let t = Float(stepCounts[i])
    let rate = learningRate / (1 - powf(beta1, t))
    let scale = 1 / (1 - powf(beta2, t)).squareRoot()
    let (offset, count) = (i * networks.parameterCount, networks.parameterCount)
    playground_adam_update(
      networks.block(i), m + offset, v + offset, gradient, count, beta1, beta2, rate, scale,
      epsilon)
  }
}

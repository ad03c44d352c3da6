#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one seeded random number generator of the playground: xoshiro256** (Blackman & Vigna,
/// 2018), seeded through SplitMix64, so that one seed reproduces a whole run on any machine.
///
/// It is a reference type: the layers, environments and agents of a run share draws from it.
/// Use ``derived(stream:)`` to give a component its own independent stream.
public final class RandomGenerator: RandomNumberGenerator {
  private var state: (UInt64, UInt64, UInt64, UInt64)
  /// A second normal deviate from the last Box–Muller pair.
  var spareNormal: Double?
  /// The seed this generator started from.
  public let seed: UInt64

  /// Creates a generator whose whole sequence is determined by `seed`.
  public init(seed: UInt64) {
    self.seed = seed
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The next 64 random bits.
  public func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A generator for a separate component (e.g. stream 1 for the environment, 2 for the agent),
  /// determined by this generator's seed and `stream`, independent of how much this one was used.
  public func derived(stream: UInt64) -> RandomGenerator {
    RandomGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
  }

  /// A double uniform in `[0, 1)`, from the top 53 bits.
  public func unitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A float uniform in `range` (half-open, as PyTorch's `uniform_`).
  public func uniform(in range: Range<Float> = 0..<1) -> Float {
    let value = range.lowerBound + Float(unitDouble()) * (range.upperBound - range.lowerBound)
    return value < range.upperBound ? value : range.lowerBound
  }

  /// A normal deviate (Box–Muller).
  public func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
    if let spare = spareNormal {
      spareNormal = nil
      return mean + standardDeviation * Float(spare)
    }
    var u = unitDouble()
    while u == 0 { u = unitDouble() }
    let v = unitDouble()
    let radius = (-2 * log(u)).squareRoot()
    spareNormal = radius * sin(2 * Double.pi * v)
    return mean + standardDeviation * Float(radius * cos(2 * Double.pi * v))
  }

  /// An integer uniform in `0..<upperBound` (unbiased, by Lemire's method).
  public func integer(below upperBound: Int) -> Int {
    precondition(upperBound > 0, "integer(below:) needs a positive bound, got \(upperBound)")
    let bound = UInt64(upperBound)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }

  /// Shuffles `values` in place (Fisher–Yates), the same way on every platform.
  public func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      values.swapAt(i, integer(below: i + 1))
    }
  }

  /// `0..<count` in random order.
  public func permutation(_ count: Int) -> [Int] {
    var values = Array(0..<count)
    shuffle(&values)
    return values
  }

  /// Everything that determines the rest of the sequence, for checkpoints that resume a run
  /// exactly: the four state words and a pending normal deviate.
  public struct Snapshot: Equatable, Sendable, LosslessStringConvertible {
    public var words: [UInt64]
    public var spareNormal: Double?

    /// Hexadecimal words, then the spare deviate's bit pattern when there is one:
    /// `"w0 w1 w2 w3"` or `"w0 w1 w2 w3 s"`.
    public var description: String {
      (words + (spareNormal.map { [$0.bitPattern] } ?? [])).map { String($0, radix: 16) }.joined(
        separator: " ")
    }

    public init?(_ description: String) {
      let numbers = description.split(separator: " ").map { UInt64($0, radix: 16) }
      guard numbers.count == 4 || numbers.count == 5, numbers.allSatisfy({ $0 != nil }),
        numbers.prefix(4).contains(where: { $0 != 0 })
      else {
        // All-zero words are the one state xoshiro256** never leaves (it would draw 0 forever).
        return nil
      }
      words = numbers.prefix(4).map { $0! }
      spareNormal = numbers.count == 5 ? Double(bitPattern: numbers[4]!) : nil
    }

    init(words: [UInt64], spareNormal: Double?) {
      self.words = words
      self.spareNormal = spareNormal
    }
  }

  /// The generator's position in its sequence.
  public var snapshot: Snapshot {
    get { Snapshot(words: [state.0, state.1, state.2, state.3], spareNormal: spareNormal) }
    set {
      precondition(newValue.words.count == 4, "a snapshot has four state words")
      state = (newValue.words[0], newValue.words[1], newValue.words[2], newValue.words[3])
      spareNormal = newValue.spareNormal
    }
  }
}

import PlaygroundCore
import Testing
import TestSupport

/// Integer products give exactly the sums of a plain triple loop in 32-bit integers, on oneDNN's
/// int8 primitives and on the split float path alike, with the largest operands (255 · −128).
@Suite(.onEveryBackend) struct IntegerProductsTests {
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    let rng = RandomGenerator(seed: seed)
    return (0..<count).map { i in i % 7 == 0 ? 255 : UInt8(rng.integer(below: 256)) }
  }

  static func weights(_ count: Int, seed: UInt64) -> [Int8] {
    let rng = RandomGenerator(seed: seed)
    return (0..<count).map { i in i % 5 == 0 ? -128 : Int8(rng.integer(below: 255) - 127) }
  }

  /// `[N, C, H, W]` input, `[O, C, kh, kw]` weight, stride, padding.
  static let convolutions: [([Int], [Int], Int, Int)] = [
    ([3, 1, 28, 28], [16, 1, 5, 5], 1, 2),  // the CNN's first layer
    ([2, 16, 14, 14], [32, 16, 5, 5], 1, 0),  // its second
    ([2, 3, 9, 7], [5, 3, 3, 2], 2, 1),  // awkward: strided, rectangular
  ]

  @Test(arguments: convolutions)
  func convolutionsAreExact(_ shape: [Int], _ weightShape: [Int], _ stride: Int, _ padding: Int)
    throws
  {
    let input = Self.bytes(shape.reduce(1, *), seed: 1)
    let weight = Self.weights(weightShape.reduce(1, *), seed: 2)
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let (o, kh, kw) = (weightShape[0], weightShape[2], weightShape[3])
    let (oh, ow) = ((h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1)
    var expected = [Int32](repeating: 0, count: n * o * oh * ow)
    for b in 0..<n {
      for out in 0..<o {
        for y in 0..<oh {
          for x in 0..<ow {
            var sum: Int32 = 0
            for ch in 0..<c {
              for i in 0..<kh {
                for j in 0..<kw {
                  let (row, column) = (y * stride - padding + i, x * stride - padding + j)
                  guard (0..<h).contains(row), (0..<w).contains(column) else { continue }
                  sum +=
                    Int32(input[((b * c + ch) * h + row) * w + column])
                    * Int32(weight[((out * c + ch) * kh + i) * kw + j])
                }
              }
            }
            expected[((b * o + out) * oh + y) * ow + x] = sum
          }
        }
      }
    }
    for backend in ComputeBackend.allCases {
      let (sums, outShape) = try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        IntegerProducts.convolution(
          input: input, shape: shape, weight: weight, weightShape: weightShape, stride: stride,
          padding: padding)
      }
      #expect(outShape == [n, o, oh, ow])
      #expect(sums == expected, "\(backend)")
    }
  }

  @Test(arguments: [(1, 1, 1), (256, 784, 128), (7, 128, 10)])
  func matrixProductsAreExact(_ m: Int, _ k: Int, _ n: Int) throws {
    let a = Self.bytes(m * k, seed: 3)
    let b = Self.weights(n * k, seed: 4)
    var expected = [Int32](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        expected[i * n + j] = (0..<k).reduce(0) { $0 + Int32(a[i * k + $1]) * Int32(b[j * k + $1]) }
      }
    }
    for backend in ComputeBackend.allCases {
      let sums = try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        IntegerProducts.matrixProduct(a: a, m: m, k: k, b: b, n: n)
      }
      #expect(sums == expected, "\(backend)")
    }
  }
}

import Foundation
import PlaygroundCore
import TestSupport
import Testing

/// The kernels that make a DCGAN step cheaper keep their answers: a convolution's fused leaky
/// ReLU gives the bits of the two operations, batch norm gives the same bits on one thread and
/// two, and tanh stays within 2e-7 of the exact value.
@Suite(.onEveryBackend) struct StepKernelTests {
  /// The output and the gradients of input, weight and bias of `body`, for `upstream`.
  static func outcome(
    _ leaves: [Tensor], upstream: [Float], threads: Int = 2, _ body: ([Tensor]) -> Tensor
  ) throws -> [[Float]] {
    try Compute.with(ComputeSettings(backend: Compute.settings.backend, threads: threads)) {
      let tracked = leaves.map { $0.detached().requiringGrad() }
      let y = body(tracked)
      y.backward(seed: upstream)
      return [y.scalars] + tracked.map { $0.gradient ?? [] }
    }
  }

  /// The discriminator's first two layers' shapes (blocked by 16 on oneDNN), the slope a GAN
  /// uses, and 0 (ReLU, which is not fused).
  @Test(arguments: [Float(0.2), 0])
  func aConvolutionThenLeakyReLUIsTheTwoOperations(slope: Float) throws {
    let random = RandomGenerator(seed: 9)
    let (x, w, b) = (
      random.normalTensor([4, 32, 14, 14]), random.normalTensor([64, 32, 4, 4]),
      random.normalTensor([64])
    )
    let upstream = random.normalTensor([4, 64, 7, 7]).scalars
    let fused = try Self.outcome([x, w, b], upstream: upstream) {
      $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, thenLeakyReLU: slope)
    }
    let separate = try Self.outcome([x, w, b], upstream: upstream) {
      $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1).leakyRelu(
        negativeSlope: slope)
    }
    #expect(fused == separate)
  }

  /// Batch norm splits its channels across threads: one thread and two give the same bits,
  /// over images (the sums of each plane over sixteen lanes) and over features.
  @Test(arguments: [[6, 24, 7, 7], [6, 40, 5, 3], [16, 300]])
  func batchNormDoesNotDependOnItsThreads(shape: [Int]) throws {
    let random = RandomGenerator(seed: 12)
    let x = random.normalTensor(shape)
    let (w, b) = (random.normalTensor([shape[1]]), random.normalTensor([shape[1]]))
    let upstream = random.normalTensor(shape).scalars
    func run(_ threads: Int) throws -> [[Float]] {
      try Self.outcome([x, w, b], upstream: upstream, threads: threads) {
        $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output
      }
    }
    #expect(try run(1) == run(2))
  }

  /// Batch norm followed by a ReLU or a leaky ReLU in one pass gives the bits of the two
  /// operations, gradients included, over images and over features.
  @Test(arguments: [Float(0), 0.2], [[6, 16, 7, 7], [8, 50]])
  func batchNormThenLeakyReLUIsTheTwoOperations(slope: Float, shape: [Int]) throws {
    let random = RandomGenerator(seed: 13)
    let x = random.normalTensor(shape)
    let (w, b) = (random.normalTensor([shape[1]]), random.normalTensor([shape[1]]))
    let upstream = random.normalTensor(shape).scalars
    let fused = try Self.outcome([x, w, b], upstream: upstream) {
      $0[0].batchNormalized(weight: $0[1], bias: $0[2], thenLeakyReLU: slope).output
    }
    let separate = try Self.outcome([x, w, b], upstream: upstream) {
      $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output.leakyRelu(negativeSlope: slope)
    }
    #expect(fused == separate)
  }

  /// Batch norm's sums against double precision: the output of a batch norm with γ = 1, β = 0
  /// has mean 0 and variance 1 per channel.
  @Test func batchNormNormalizes() {
    let random = RandomGenerator(seed: 2)
    let x = random.normalTensor([8, 3, 9, 9]) * 3 + 5
    let y = x.batchNormalized(weight: .ones([3]), bias: .zeros([3]), epsilon: 0).output.scalars
    for c in 0..<3 {
      var values: [Double] = []
      for b in 0..<8 {
        let start = (b * 3 + c) * 81
        values += y[start..<(start + 81)].map { Double($0) }
      }
      let mean = values.reduce(0, +) / Double(values.count)
      let squares = values.map { ($0 - mean) * ($0 - mean) }
      let variance = squares.reduce(0, +) / Double(values.count)
      #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-5, "channel \(c): \(mean), \(variance)")
    }
  }

  @Test func tanhIsWithinTwoTenMillionthsOfTheExactValue() {
    let xs: [Float] =
      stride(from: -12, through: 12, by: 0.001).map { Float($0) } + [
        0.625, -0.625, 0.6249999, 1e-30, -1e-30, 88, -88, 1e4,
      ]
    let ys = Tensor(xs).tanh().scalars
    for (x, y) in zip(xs, ys) {
      let exact = Foundation.tanh(Double(x))
      #expect(abs(Double(y) - exact) <= 2e-7 * abs(exact), "tanh(\(x)) = \(y), not \(exact)")
    }
    let special = Tensor([0, -0.0, .infinity, -.infinity, .nan]).tanh().scalars
    #expect(special[0].bitPattern == 0 && special[1].bitPattern == (-0.0 as Float).bitPattern)
    #expect(special[2] == 1 && special[3] == -1 && special[4].isNaN)
  }
}

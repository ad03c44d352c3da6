import Foundation
import PlaygroundCore
import TestSupport
import Testing

/// oneDNN and OpenBLAS give the same convolutions and matrix products (to float rounding), on the
/// DCGAN's shapes and on awkward ones: a window that misses the last rows, output padding, no
/// bias, one channel, rectangular kernels.
@Suite(.onOneBackend) struct ComputeBackendTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [Int]
    let weight: [Int]
    let transposed: Bool
    let stride: Int
    let padding: Int
    let outputPadding: Int
    let bias: Bool
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "DCGAN down", input: [4, 8, 14, 14], weight: [16, 8, 4, 4], transposed: false,
      stride: 2, padding: 1, outputPadding: 0, bias: true),
    Case(
      name: "first layer, one channel", input: [3, 1, 28, 28], weight: [8, 1, 5, 5],
      transposed: false, stride: 1, padding: 0, outputPadding: 0, bias: true),
    Case(
      name: "window misses the last row", input: [2, 3, 28, 28], weight: [4, 3, 5, 5],
      transposed: false, stride: 2, padding: 0, outputPadding: 0, bias: false),
    Case(
      name: "rectangular kernel", input: [2, 5, 9, 7], weight: [6, 5, 3, 2], transposed: false,
      stride: 1, padding: 1, outputPadding: 0, bias: true),
    Case(
      name: "DCGAN up", input: [4, 16, 7, 7], weight: [16, 8, 4, 4], transposed: true, stride: 2,
      padding: 1, outputPadding: 0, bias: false),
    Case(
      name: "up with output padding", input: [2, 4, 5, 5], weight: [4, 3, 3, 3], transposed: true,
      stride: 2, padding: 1, outputPadding: 1, bias: true),
    Case(
      name: "up, output padding beyond padding", input: [2, 4, 5, 5], weight: [4, 3, 3, 3],
      transposed: true, stride: 2, padding: 0, outputPadding: 1, bias: true),
  ]

  /// Forward output and the three gradients, under `backend`.
  static func outcome(_ c: Case, on backend: ComputeBackend) throws -> [[Float]] {
    try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
      let rng = RandomGenerator(seed: 7)
      let x = rng.normalTensor(c.input).requiringGrad()
      let w = rng.normalTensor(c.weight).requiringGrad()
      let outChannels = c.transposed ? c.weight[1] : c.weight[0]
      let b = c.bias ? rng.normalTensor([outChannels]).requiringGrad() : nil
      let y =
        c.transposed
        ? x.convTranspose2d(
          weight: w, bias: b, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
        : x.conv2d(weight: w, bias: b, stride: c.stride, padding: c.padding)
      let target = rng.normalTensor(y.shape)
      (y * target).sum().backward()
      return [y.scalars, x.grad!.scalars, w.grad!.scalars] + (b.map { [$0.grad!.scalars] } ?? [])
    }
  }

  @Test(arguments: cases)
  func convolutionsAgree(_ c: Case) throws {
    let ours = try Self.outcome(c, on: .onednn)
    let theirs = try Self.outcome(c, on: .openblas)
    for (a, b) in zip(ours, theirs) {
      #expect(a.count == b.count)
      let scale = b.map(abs).max() ?? 1
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5 * max(scale, 1), "\(c.name): differs by \(worst) at scale \(scale)")
    }
  }

  @Test(arguments: [(1, 1, 1), (32, 784, 128), (64, 256, 256), (7, 3, 5)])
  func matrixProductsAgree(_ m: Int, _ k: Int, _ n: Int) throws {
    func product(_ backend: ComputeBackend) throws -> [[Float]] {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        let rng = RandomGenerator(seed: 3)
        let a = rng.normalTensor([m, k]).requiringGrad()
        let b = rng.normalTensor([k, n]).requiringGrad()
        let y = a.matmul(b)
        y.sum().backward()
        return [y.scalars, a.grad!.scalars, b.grad!.scalars]
      }
    }
    for (x, y) in zip(try product(.onednn), try product(.openblas)) {
      let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-4 * Float(k).squareRoot(), "differs by \(worst)")
    }
  }

  /// One convolution applied to two batches before either backward pass (a discriminator on
  /// real and fake images): each backward pass uses its own forward's kept input.
  @Test func twoForwardsBeforeTheirBackwardsAgree() throws {
    func gradients(_ backend: ComputeBackend) throws -> [[Float]] {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        let rng = RandomGenerator(seed: 11)
        let w = rng.normalTensor([16, 8, 4, 4]).requiringGrad()
        let a = rng.normalTensor([4, 8, 14, 14]).requiringGrad()
        let b = rng.normalTensor([4, 8, 14, 14]).requiringGrad()
        let ya = a.conv2d(weight: w, stride: 2, padding: 1)
        let yb = b.conv2d(weight: w, stride: 2, padding: 1)
        (ya.squared().sum() + (yb * 3).sum()).backward()
        return [a.grad!.scalars, b.grad!.scalars, w.grad!.scalars]
      }
    }
    for (x, y) in zip(try gradients(.onednn), try gradients(.openblas)) {
      let scale = y.map(abs).max() ?? 1
      let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5 * max(scale, 1), "differs by \(worst) at scale \(scale)")
    }
  }

  /// A frozen weight (a discriminator during the generator's step): only the input's gradient,
  /// with nothing kept from the forward pass.
  @Test func aFrozenWeightStillPassesTheInputGradient() throws {
    func gradient(_ backend: ComputeBackend) throws -> [Float] {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        let rng = RandomGenerator(seed: 5)
        let w = rng.normalTensor([16, 8, 4, 4])
        let x = rng.normalTensor([4, 8, 14, 14]).requiringGrad()
        x.conv2d(weight: w, stride: 2, padding: 1).squared().sum().backward()
        return x.grad!.scalars
      }
    }
    let (ours, theirs) = (try gradient(.onednn), try gradient(.openblas))
    let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-5 * max(theirs.map(abs).max() ?? 1, 1), "differs by \(worst)")
  }

  /// A frozen weight with a bias that trains (DP-SGD's traced layers detach the weight): the
  /// bias gets its gradient without the weight's being formed, on both backends alike, and the
  /// weight none.
  @Test(arguments: [false, true]) func aBiasTrainsUnderAFrozenWeight(transposed: Bool) throws {
    func gradients(_ backend: ComputeBackend) throws -> [[Float]] {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        let rng = RandomGenerator(seed: 9)
        let w = rng.normalTensor([8, 8, 4, 4])
        let b = rng.normalTensor([8]).requiringGrad()
        let x = rng.normalTensor([4, 8, 14, 14]).requiringGrad()
        let y =
          transposed
          ? x.convTranspose2d(weight: w, bias: b, stride: 2, padding: 1)
          : x.conv2d(weight: w, bias: b, stride: 2, padding: 1)
        (y * rng.normalTensor(y.shape)).sum().backward()
        #expect(w.grad == nil)
        return [b.grad!.scalars, x.grad!.scalars]
      }
    }
    let (ours, theirs) = (try gradients(.onednn), try gradients(.openblas))
    for (mine, reference) in zip(ours, theirs) {
      let worst = zip(mine, reference).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-4 * max(reference.map(abs).max() ?? 1, 1), "differs by \(worst)")
    }
  }

  /// Each case's primitives made on one thread and run on others, as Swift's tasks move between
  /// threads (oneDNN's default scratchpad is per thread: this crashed before scratchpads were
  /// the playground's own).
  @Test func primitivesMadeOnOneThreadRunOnAnother() throws {
    for c in Self.cases {
      let first = try Self.outcome(c, on: .onednn)
      for _ in 0..<2 {
        let done = DispatchSemaphore(value: 0)
        let outcome = Box()
        Thread {
          outcome.value = try! Self.outcome(c, on: .onednn)
          done.signal()
        }.start()
        done.wait()
        #expect(outcome.value == first, "\(c.name)")
      }
    }
  }

  /// What another thread computed, read after it signalled.
  final class Box: @unchecked Sendable { var value: [[Float]] = [] }

  @Test func sameSettingsSameBytes() throws {
    for backend in ComputeBackend.allCases {
      let first = try Self.outcome(Self.cases[0], on: backend)
      let second = try Self.outcome(Self.cases[0], on: backend)
      #expect(first == second, "\(backend) is not deterministic")
    }
  }
}

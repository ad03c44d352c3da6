import Foundation
import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

/// A float network's inference as one oneDNN chain: the same outputs as its layers one by one
/// (up to the order of float sums), weights read at every call, OpenBLAS and unsupported layers
/// left to the layers.
///
/// One backend's pass: it compares both backends in one process.
@Suite(.onOneBackend) struct FusedInferenceTests {
  /// The classifier's CNN shape (5×5 convolutions, padding 2, 2×2 pooling) on 16×16 images.
  static func cnn(_ rng: RandomGenerator) -> Sequential {
    Sequential([
      Conv2D(
        inputChannels: 1, outputChannels: 16, kernelSize: 5, padding: 2, activation: .relu,
        generator: rng),
      MaxPool2D(size: 2),
      Conv2D(
        inputChannels: 16, outputChannels: 32, kernelSize: 5, activation: .relu, generator: rng),
      MaxPool2D(size: 2), Flatten(),
      Dense(inputSize: 32 * 2 * 2, outputSize: 24, activation: .relu, generator: rng),
      Dropout(rate: 0.5, generator: rng),
      Dense(inputSize: 24, outputSize: 10, generator: rng),
    ])
  }

  /// Opacus's sample CNN shape: stride 2, odd sizes, pooling with stride 1.
  static func strided(_ rng: RandomGenerator) -> Sequential {
    Sequential([
      Conv2D(
        inputChannels: 1, outputChannels: 8, kernelSize: 8, stride: 2, padding: 3,
        activation: .relu, generator: rng),
      MaxPool2D(size: 2, stride: 1),
      Conv2D(
        inputChannels: 8, outputChannels: 16, kernelSize: 4, stride: 2, activation: .relu,
        generator: rng),
      MaxPool2D(size: 2, stride: 1), Flatten(),
      Dense(inputSize: 16 * 2 * 2, outputSize: 10, generator: rng),
    ])
  }

  static func mlp(_ rng: RandomGenerator) -> Sequential {
    Sequential([
      Flatten(),
      Dense(inputSize: 16 * 16, outputSize: 32, activation: .relu, generator: rng),
      Dense(inputSize: 32, outputSize: 10, generator: rng),
    ])
  }

  /// Non-zero biases, so that a missing or misplaced bias shows.
  static func withBiases(_ network: Sequential, _ rng: RandomGenerator) -> Sequential {
    for (name, tensor) in network.namedParameters where name.hasSuffix("bias") {
      tensor.scalars = rng.normalTensor(tensor.shape).scalars.map { $0 * 0.3 }
    }
    network.setTraining(false)
    return network
  }

  /// The largest difference between the chain and the layers, relative to the largest output.
  static func difference(_ network: Sequential, input: Tensor, threads: Int) throws -> Float {
    try Compute.with(ComputeSettings(backend: .onednn, threads: threads)) {
      let fused = try #require(FusedInference(network))
      let chained = try #require(fused(input))
      let layered = withoutGradient { network(input) }
      #expect(chained.shape == layered.shape)
      let scale = layered.scalars.map(abs).max()!
      return zip(chained.scalars, layered.scalars).map { abs($0 - $1) }.max()! / scale
    }
  }

  @Test(arguments: ["cnn", "strided", "mlp"])
  func matchesTheLayersOneByOne(model: String) throws {
    let rng = RandomGenerator(seed: 5)
    let (network, side) =
      switch model {
      case "cnn": (Self.cnn(rng), 16)
      case "strided": (Self.strided(rng), 20)
      default: (Self.mlp(rng), 16)
      }
    _ = Self.withBiases(network, rng)
    for (batch, threads) in [(3, 1), (37, 2), (256, 2)] {
      let input = rng.normalTensor([batch, 1, side, side])
      let difference = try Self.difference(network, input: input, threads: threads)
      #expect(difference < 1e-5, "\(model), batch \(batch), \(threads) threads: \(difference)")
    }
  }

  @Test func runsALargeBatchInSlices() throws {
    let rng = RandomGenerator(seed: 9)
    let network = Self.withBiases(Self.mlp(rng), rng)
    let batch = InferenceChain.largestBatch + 6
    let difference = try Self.difference(
      network, input: rng.normalTensor([batch, 1, 16, 16]), threads: 2)
    #expect(difference < 1e-5)
  }

  @Test func followsWeightsChangedAfterItsFirstCall() throws {
    let rng = RandomGenerator(seed: 6)
    let network = Self.withBiases(Self.cnn(rng), rng)
    let input = rng.normalTensor([8, 1, 16, 16])
    try Compute.with(ComputeSettings(backend: .onednn, threads: 1)) {
      let fused = try #require(FusedInference(network))
      let before = try #require(fused(input))
      for parameter in network.parameters {
        parameter.scalars = parameter.scalars.map { $0 * 0.5 + 0.01 }
      }
      let after = try #require(fused(input))
      let layered = withoutGradient { network(input) }
      #expect(after.scalars != before.scalars)
      let worst = zip(after.scalars, layered.scalars).map { abs($0 - $1) }.max()!
      #expect(worst < 1e-5 * layered.scalars.map(abs).max()!)
    }
  }

  @Test func givesTheSameBytesEveryCall() throws {
    let rng = RandomGenerator(seed: 7)
    let network = Self.withBiases(Self.cnn(rng), rng)
    let input = rng.normalTensor([64, 1, 16, 16])
    try Compute.with(ComputeSettings(backend: .onednn, threads: 2)) {
      let fused = try #require(FusedInference(network))
      let first = try #require(fused(input)).scalars
      #expect(try #require(fused(input)).scalars == first)
      #expect(try #require(FusedInference(network)?(input)).scalars == first)
    }
  }

  @Test func leavesOpenBLASAndOtherLayersToTheLayers() throws {
    let rng = RandomGenerator(seed: 8)
    let network = Self.cnn(rng)
    try Compute.with(ComputeSettings(backend: .openblas, threads: 2)) {
      #expect(FusedInference(network)?(rng.normalTensor([2, 1, 16, 16])) == nil)
    }
    // A tanh, a batch norm, a dense layer before flattening: not fused.
    #expect(
      FusedInference(
        Sequential([
          Flatten(), Dense(inputSize: 4, outputSize: 2, activation: .tanh, generator: rng),
        ])) == nil)
    #expect(
      FusedInference(
        Sequential([
          Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, generator: rng),
          BatchNorm(featureCount: 2), Flatten(),
          Dense(inputSize: 8, outputSize: 2, generator: rng),
        ])) == nil)
    #expect(
      FusedInference(Sequential([Dense(inputSize: 4, outputSize: 2, generator: rng)])) == nil)
    // A shape the layers cannot take: nil, not a crash.
    try Compute.with(ComputeSettings(backend: .onednn, threads: 1)) {
      #expect(FusedInference(network)?(rng.normalTensor([2, 1, 3, 3])) == nil)
    }
  }
}

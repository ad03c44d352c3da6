import Foundation
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundNN
import TestSupport
import Testing

/// The flow-matching U-Net against PyTorch, the loss by hand, the samplers against a flow known
/// in closed form, guidance at w = 0 and 1, and the trainer's checkpoint.
@Suite(.onEveryBackend) struct FlowTests {
  /// The anchor's U-Net (`torch_flow_mnist.py`) at widths 8, 8, 16 with PyTorch's weights: the
  /// velocity and the gradients of `sum(velocity · upstream)` for the input and every weight.
  @Test func unetMatchesPyTorch() throws {
    let reference = TorchFlowReference.shared.unet
    let network = FlowUNet(
      widths: reference.widths, embeddingSize: reference.embedding,
      timeFeatures: reference.timeFeatures, groups: reference.groups, classes: reference.classes,
      generator: RandomGenerator(seed: 0))
    #expect(network.namedState.map(\.name).sorted() == reference.state.keys.sorted())
    for (name, tensor) in network.namedState {
      tensor.scalars = reference.state[name]!.values.map { Float($0) }
    }
    let x = reference.x.tensor.requiringGrad()
    let output = network.velocity(
      x, times: reference.times.map { Float($0) }, labels: reference.labels)
    output.backward(seed: reference.upstream.map { Float($0) })
    #expect(mismatch(output.scalars, reference.output.values) == nil)
    #expect(mismatch(x.gradient!, reference.xGradient, relative: 1e-3, absolute: 1e-5) == nil)
    // Each gradient within 1e-3 of its value or 1e-5 of its tensor's largest value: oneDNN's
    // Winograd convolutions (ConvolutionKey.algorithms) round differently from PyTorch's direct
    // sums, up to 6e-6 of the largest value here (a direct sum: 2e-6).
    for (name, tensor) in network.namedParameters {
      let gradient = tensor.gradient ?? [Float](repeating: 0, count: tensor.count)
      let expected = reference.gradients[name]!
      let largest = expected.map { Swift.abs($0) }.max() ?? 0
      #expect(
        mismatch(gradient, expected, relative: 1e-3, absolute: 1e-5 * max(1, largest)) == nil,
        "\(name)")
    }
  }

  @Test func theTimeEmbeddingIsPyTorchs() {
    let reference = TorchFlowReference.shared.timeEmbedding
    let embedding = SinusoidalEmbedding(dimension: 16)(reference.times.map { Float($0) })
    #expect(embedding.shape == reference.output.shape)
    #expect(mismatch(embedding.scalars, reference.output.values, absolute: 2e-5) == nil)
  }

  /// Two images of two pixels: x_t, the target velocity and the mean squared error by hand.
  @Test func theLossByHand() {
    let noise = Tensor(shape: [2, 2], scalars: [1, -1, 0, 2])
    let images = Tensor(shape: [2, 2], scalars: [0.5, 0.5, -1, 1])
    let x = FlowMatching.interpolate(noise: noise, images: images, times: [0.25, 0.5])
    // (1 − t)·noise + t·image
    #expect(x.scalars == [0.875, -0.625, -0.5, 1.5])
    let predicted = Tensor(shape: [2, 2], scalars: [0, 1, -1, -1])
    // targets image − noise = [−0.5, 1.5, −1, −1]; errors 0.5, −0.5, 0, 0
    let loss = FlowMatching.loss(predicted: predicted, noise: noise, images: images)
    #expect(abs(loss.item - 0.125) < 1e-7)
  }

  /// Noise N(0, 1) to data N(μ, s²): the velocity of the straight paths' marginal flow is
  /// μ + c(t)/σ(t)² · (x − tμ) with σ(t)² = (1 − t)² + t²s², c(t) = ts² − (1 − t), and the flow
  /// carries x₀ to μ + s·x₀. Euler's error falls as 1/N, Heun's as 1/N².
  @Test func samplersFollowAGaussianFlow() {
    let (mu, s): (Float, Float) = (2, 0.5)
    let velocity: FlowSampler.Velocity = { x, times, _ in
      let t = times[0]
      let variance = (1 - t) * (1 - t) + t * t * s * s
      let slope = (t * s * s - (1 - t)) / variance
      return Tensor(shape: x.shape, scalars: x.scalars.map { mu + slope * ($0 - t * mu) })
    }
    let start = Tensor(shape: [5, 1], scalars: [-2, -0.5, 0, 0.7, 1.9])
    let exact = start.scalars.map { mu + s * $0 }
    func error(_ method: FlowSamplerKind, _ steps: Int) -> Float {
      let sampler = FlowSampler(
        velocity: velocity, unconditionalLabel: 10, steps: steps, method: method, guidance: 1)
      let end = sampler.sample(noise: start, labels: [0, 0, 0, 0, 0])
      return zip(end.scalars, exact).map { abs($0 - $1) }.max()!
    }
    #expect(error(.euler, 400) < 5e-3)
    #expect(error(.heun, 40) < 5e-4)
    let eulerRatio = error(.euler, 20) / error(.euler, 40)
    let heunRatio = error(.heun, 10) / error(.heun, 20)
    #expect((1.7...2.3).contains(eulerRatio), "Euler's error ratio \(eulerRatio)")
    #expect((3.2...4.8).contains(heunRatio), "Heun's error ratio \(heunRatio)")
  }

  /// w = 0 is the unconditional velocity, w = 1 the conditional one, other weights the mix.
  @Test func guidanceMixesBothVelocities() {
    let velocity: FlowSampler.Velocity = { x, _, labels in
      let perPoint = x.count / labels.count
      return Tensor(
        shape: x.shape,
        scalars: x.scalars.enumerated().map { k, value in value + Float(labels[k / perPoint]) })
    }
    let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    func guided(_ w: Float) -> [Float] {
      FlowSampler(velocity: velocity, unconditionalLabel: 10, steps: 1, method: .euler, guidance: w)
        .guidedVelocity(x, time: 0, labels: [3, 7]).scalars
    }
    #expect(guided(0) == [11, 12, 13, 14])
    #expect(guided(1) == [4, 5, 10, 11])
    // v_u + 1.5 (v_c − v_u): 11 + 1.5·(−7), 13 + 1.5·(−3)
    #expect(guided(1.5) == [0.5, 1.5, 8.5, 9.5])
  }

  /// Outside its guidance interval the sampler takes the conditional velocity (w = 1); inside
  /// it, and at the interval's ends, the guided one.
  @Test func guidanceAppliesOnlyWithinItsInterval() {
    let velocity: FlowSampler.Velocity = { x, times, labels in
      let perPoint = x.count / labels.count
      return Tensor(
        shape: x.shape,
        scalars: x.scalars.enumerated().map { k, value in
          value + Float(labels[k / perPoint]) + times[k / perPoint]
        })
    }
    let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let sampler = FlowSampler(
      velocity: velocity, unconditionalLabel: 10, steps: 1, method: .euler, guidance: 1.5,
      guidanceInterval: 0.25...0.75)
    func guided(at t: Float) -> [Float] {
      sampler.guidedVelocity(x, time: t, labels: [3, 7]).scalars
    }
    let conditional: [Float] = [4, 5, 10, 11]
    #expect(guided(at: 0) == conditional)
    #expect(guided(at: 0.875) == conditional.map { $0 + 0.875 })
    // v_u + 1.5 (v_c − v_u), with t added to both
    #expect(guided(at: 0.25) == [0.75, 1.75, 8.75, 9.75])
    #expect(guided(at: 0.75) == [1.25, 2.25, 9.25, 10.25])
  }

  /// A guidance interval is two times from 0 to 1, the first not after the second.
  @Test(arguments: [[0.5, 0.2], [-0.1, 1], [0, 1.5], [0.3], [0.1, 0.2, 0.3]])
  func aGuidanceIntervalOutsideTheTimesIsAnError(_ interval: [Double]) {
    var config = FlowConfig()
    config.guidanceInterval = interval
    #expect {
      try config.validate()
    } throws: {
      "\($0)".hasPrefix("guidance_interval must be [from, to] with 0 ≤ from ≤ to ≤ 1")
    }
    config.guidanceInterval = [0.2, 0.2]
    #expect(throws: Never.self) { try config.validate() }
  }

  /// A trainer restored from another's checkpoint takes the same next step, to the bit.
  @Test func aCheckpointContinuesExactly() throws {
    var config = FlowConfig()
    config.widths = [8, 8, 8]
    config.embeddingSize = 16
    config.batchSize = 4
    let images = RandomGenerator(seed: 9).uniformTensor([4, 1, 8, 8], in: -1..<1)
    let labels = [1, 2, 3, 4]
    let first = FlowTrainer(config: config, random: RandomGenerator(seed: 1))
    first.step(images: images, labels: labels)
    let saved = first.checkpoint()
    let expected = first.step(images: images, labels: labels)
    let second = FlowTrainer(config: config, random: RandomGenerator(seed: 5))
    try second.restore(saved, source: "test")
    #expect(second.step(images: images, labels: labels) == expected)
    #expect(
      second.averaged.namedState.map(\.tensor.scalars)
        == first.averaged.namedState.map(\.tensor.scalars))
    config.widths = [8, 16, 16]
    let other = FlowTrainer(config: config, random: RandomGenerator(seed: 1))
    #expect(throws: CheckpointMismatch.self) { try other.restore(saved, source: "test") }
  }
}

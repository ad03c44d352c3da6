import PlaygroundCore
import PlaygroundNN
import PlaygroundRandom
import TestSupport
import Testing

/// DP-SGD's gradient: each example's gradient (checked against a backward pass of that example
/// alone, against finite differences and against the batch's gradient, their sum), clipped,
/// summed, with noise of the promised scale; and the layers it refuses.
@Suite(.onEveryBackend) struct PrivateGradientTests {
  /// A convolution, pooling and two dense layers: every kind of layer DP-SGD trains here.
  static func network(seed: UInt64 = 3) -> Sequential {
    let generator = RandomGenerator(seed: seed)
    return Sequential([
      Conv2D(
        inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1,
        activation: .relu, generator: generator),
      MaxPool2D(size: 2, stride: 1),
      Flatten(),
      Dense(inputSize: 27, outputSize: 5, activation: .tanh, generator: generator),
      Dense(inputSize: 5, outputSize: 4, generator: generator),
    ])
  }

  static let examples = 6
  static let labels = [0, 3, 1, 2, 3, 0]
  static var batch: Tensor { RandomGenerator(seed: 9).normalTensor([examples, 2, 8, 8]) }

  static func example(_ n: Int) -> Tensor {
    let size = batch.count / examples
    return Tensor(shape: [1, 2, 8, 8], scalars: Array(batch.scalars[n * size..<(n + 1) * size]))
  }

  /// Example n's gradient of every parameter, flattened in order, by an ordinary backward pass.
  static func aloneGradient(_ network: Sequential, _ n: Int) -> [Float] {
    network.zeroGradients()
    softmaxCrossEntropy(logits: network(example(n)), labels: [labels[n]]).backward()
    return network.parameters.flatMap { $0.gradient ?? [Float](repeating: 0, count: $0.count) }
  }

  static func norm(_ values: [Float]) -> Float {
    values.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  static func privateGradient(
    _ network: Sequential, clip: Float, noise: Float = 0, expected: Int = 1
  ) throws -> [Float] {
    network.zeroGradients()
    let step = PrivateGradient(
      maxGradNorm: clip, noiseMultiplier: noise, expectedBatchSize: expected)
    _ = step.apply(
      to: network, batch: batch, loss: { softmaxCrossEntropy(logits: $0, labels: labels) },
      noise: RandomGenerator(seed: 1))
    return network.parameters.flatMap { $0.gradient ?? [] }
  }

  @Test func withoutClippingTheSumIsTheBatchGradient() throws {
    let network = Self.network()
    let summed = try Self.privateGradient(network, clip: 1e6)
    network.zeroGradients()
    let mean = softmaxCrossEntropy(logits: network(Self.batch), labels: Self.labels)
    mean.backward(seed: [Float(Self.examples)])
    let batchGradient = network.parameters.flatMap { $0.gradient ?? [] }
    #expect(mismatch(summed, batchGradient.map(Double.init), relative: 1e-4, absolute: 1e-5) == nil)
  }

  @Test func eachExampleIsClippedToItsOwnNorm() throws {
    let network = Self.network()
    let alone = (0..<Self.examples).map { Self.aloneGradient(network, $0) }
    let norms = alone.map(Self.norm)
    let clip = norms.sorted()[Self.examples / 2]  // half clipped, half not
    var expected = [Float](repeating: 0, count: alone[0].count)
    for (gradient, norm) in zip(alone, norms) {
      let factor = min(1, clip / (norm + 1e-6))
      for k in expected.indices { expected[k] += factor * gradient[k] }
    }
    let clipped = try Self.privateGradient(network, clip: clip, expected: 4)
    #expect(
      mismatch(clipped, expected.map { Double($0 / 4) }, relative: 1e-4, absolute: 1e-6) == nil)
  }

  @Test func anExamplesGradientMatchesFiniteDifferences() throws {
    let network = Self.network()
    let gradient = Self.aloneGradient(network, 2)
    let loss = { () -> Double in
      Double(
        withoutGradient {
          softmaxCrossEntropy(logits: network(Self.example(2)), labels: [Self.labels[2]]).item
        })
    }
    var offset = 0
    for parameter in network.parameters {
      for k in [0, parameter.count / 2, parameter.count - 1] {
        let original = parameter.scalars[k]
        let h: Float = 1e-2
        parameter.scalars[k] = original + h
        let up = loss()
        parameter.scalars[k] = original - h
        let down = loss()
        parameter.scalars[k] = original
        let numeric = (up - down) / Double(2 * h)
        #expect(abs(numeric - Double(gradient[offset + k])) < 2e-3 + 0.02 * abs(numeric))
      }
      offset += parameter.count
    }
  }

  @Test func theNoiseHasDeviationSigmaTimesCOverTheExpectedBatch() throws {
    let network = Sequential([
      Dense(inputSize: 200, outputSize: 100, generator: RandomGenerator(seed: 2))
    ])
    let step = PrivateGradient(maxGradNorm: 0.5, noiseMultiplier: 2, expectedBatchSize: 10)
    let input = RandomGenerator(seed: 4).normalTensor([3, 200])
    // A loss that does not depend on the weights: the gradient is the noise alone.
    _ = step.apply(
      to: network, batch: input, loss: { $0.sum() * Tensor(0) }, noise: RandomGenerator(seed: 5))
    let noise = network.parameters.flatMap { $0.gradient ?? [] }
    let mean = noise.reduce(0, +) / Float(noise.count)
    let deviation = (noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(noise.count))
      .squareRoot()
    #expect(abs(deviation - 0.1) < 0.002)  // σC / 10 over 20,100 values
    #expect(abs(mean) < 0.002)
  }

  @Test func anEmptyBatchStillStepsWithNoise() throws {
    let network = Self.network()
    let step = PrivateGradient(maxGradNorm: 1, noiseMultiplier: 1, expectedBatchSize: 8)
    let result = step.apply(
      to: network, batch: Tensor.zeros([0, 2, 8, 8]), loss: { $0.sum() },
      noise: RandomGenerator(seed: 6))
    #expect(result.output == nil)
    #expect(network.parameters.allSatisfy { $0.gradient?.count == $0.count })
    #expect(network.parameters.allSatisfy { $0.gradient!.contains { $0 != 0 } })
  }

  @Test func frozenLayersGetNoGradient() throws {
    let network = Self.network()
    network.zeroGradients()
    let step = PrivateGradient(maxGradNorm: 1, noiseMultiplier: 0, expectedBatchSize: 6)
    _ = step.apply(
      to: network, frozen: 1, batch: Self.batch,
      loss: { softmaxCrossEntropy(logits: $0, labels: Self.labels) },
      noise: RandomGenerator(seed: 1))
    #expect(network.layers[0].parameters.allSatisfy { $0.gradient == nil })
    #expect(network.layers[4].parameters.allSatisfy { $0.gradient != nil })
  }

  @Test func batchNormIsRefusedByName() throws {
    let generator = RandomGenerator(seed: 0)
    let network = Sequential([
      Dense(inputSize: 4, outputSize: 3, generator: generator), BatchNorm(featureCount: 3),
      Dense(inputSize: 3, outputSize: 2, generator: generator),
    ])
    #expect {
      try PrivateGradient.check(network)
    } throws: { error in
      "\(error)".contains("layer 1 (BatchNorm)") && "\(error)".contains("GroupNorm")
    }
    try PrivateGradient.check(network, frozen: 2)  // only the last layer trains
  }
}

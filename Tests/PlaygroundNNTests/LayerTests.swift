import Foundation
import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

@Suite(.onEveryBackend) struct LayerTests {
  static func model(seed: UInt64) -> Sequential {
    let rng = RandomGenerator(seed: seed)
    return Sequential([
      Reshape([1, 4, 4]),
      Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, padding: 1, generator: rng),
      BatchNorm(featureCount: 2),
      Activation(.leakyRelu(negativeSlope: 0.2)),
      ConvTranspose2D(
        inputChannels: 2, outputChannels: 1, kernelSize: 2, stride: 2, generator: rng),
      Flatten(),
      Dense(inputSize: 64, outputSize: 3, generator: rng),
    ])
  }

  @Test func sequentialNamesParametersLikeAPyTorchStateDict() {
    let names = Self.model(seed: 0).namedState.map(\.name)
    #expect(
      names == [
        "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight",
        "layers.4.bias", "layers.6.weight", "layers.6.bias", "layers.2.running_mean",
        "layers.2.running_var",
      ])
    #expect(Self.model(seed: 0)(Tensor.zeros([5, 16])).shape == [5, 3])
  }

  @Test func sameSeedSameWeights() {
    #expect(
      Self.model(seed: 4).namedState.map(\.tensor.scalars)
        == Self.model(seed: 4).namedState.map(\.tensor.scalars))
    #expect(Self.model(seed: 4).parameters[0].scalars != Self.model(seed: 5).parameters[0].scalars)
  }

  @Test func checkpointRoundTrip() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "layer-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let source = Self.model(seed: 1)
    _ = source(Tensor.ones([4, 16]))  // moves the running statistics
    try source.save(to: url, metadata: ["activation": "relu"])
    let target = Self.model(seed: 2)
    let metadata = try target.load(from: url)
    #expect(metadata["activation"] == "relu")
    #expect(target.namedState.map(\.tensor.scalars) == source.namedState.map(\.tensor.scalars))
  }

  @Test func checkpointOfAnotherShapeIsRefusedAndChangesNothing() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dense-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let rng = RandomGenerator(seed: 0)
    try Sequential([Dense(inputSize: 4, outputSize: 2, generator: rng)]).save(to: url)
    let other = Sequential([Dense(inputSize: 3, outputSize: 2, generator: rng)])
    let before = other.parameters.map(\.scalars)
    #expect {
      try other.load(from: url)
    } throws: { error in
      "\(error)".contains("'layers.0.weight' has shape [2, 4], the model expects [2, 3]")
    }
    #expect(other.parameters.map(\.scalars) == before)
  }

  @Test func hardAndSoftUpdates() {
    let rng = RandomGenerator(seed: 0)
    let online = Dense(inputSize: 3, outputSize: 2, generator: rng)
    let target = Dense(inputSize: 3, outputSize: 2, generator: rng)
    let old = target.weight.scalars
    target.softUpdate(from: online, tau: 0.25)
    for i in old.indices {
      #expect(
        Swift.abs(target.weight.scalars[i] - (0.25 * online.weight.scalars[i] + 0.75 * old[i]))
          < 1e-6)
    }
    target.copyState(from: online)
    #expect(target.weight.scalars == online.weight.scalars)
    // A copy, not an alias: training the online network leaves the target alone.
    online.weight.scalars[0] += 1
    #expect(target.weight.scalars[0] != online.weight.scalars[0])
  }

  @Test func batchNormRunningStatisticsFollowPyTorch() {
    let bn = BatchNorm(featureCount: 1, momentum: 0.1)
    let x = Tensor(shape: [4, 1], scalars: [1, 2, 3, 6])
    _ = bn(x)
    // mean 3, unbiased variance 14/3.
    #expect(Swift.abs(bn.runningMean.scalars[0] - 0.3) < 1e-6)
    #expect(Swift.abs(bn.runningVariance.scalars[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6)
    bn.setTraining(false)
    let y = bn(Tensor(shape: [1, 1], scalars: [0.3]))
    #expect(Swift.abs(y.scalars[0]) < 1e-6)
  }

  @Test func dropoutOnlyInTraining() {
    let dropout = Dropout(rate: 0.5, generator: RandomGenerator(seed: 1))
    let x = Tensor.ones([100])
    #expect(dropout(x).scalars.contains(0))
    dropout.setTraining(false)
    #expect(dropout(x).scalars == x.scalars)
  }

  @Test func initializersRespectTheirBounds() {
    let rng = RandomGenerator(seed: 0)
    let glorot = Dense(inputSize: 784, outputSize: 128, generator: rng).weight.scalars
    let limit = (6.0 / Float(784 + 128)).squareRoot()
    #expect(glorot.allSatisfy { Swift.abs($0) <= limit })
    #expect(glorot.max()! > 0.9 * limit)
    #expect(Dense(inputSize: 3, outputSize: 2, generator: rng).bias!.scalars == [0, 0])
    #expect(Initializer.fans(of: [64, 32, 4, 4]) == (in: 512, out: 1024))
    let he = Initializer.heNormal.tensor([20_000], fans: (in: 50, out: 1), generator: rng).scalars
    let std = (he.map { $0 * $0 }.reduce(0, +) / Float(he.count)).squareRoot()
    #expect(Swift.abs(std - (2.0 / 50).squareRoot()) < 0.01)
  }

  @Test func optimizersTrainASequentialThroughItsParameters() {
    let model = Self.model(seed: 3)
    let optimizer = SGD(for: model, learningRate: 0.1, momentum: 0.9)
    let before = model.parameters.map(\.scalars)
    softmaxCrossEntropy(logits: model(Tensor.ones([2, 16])), labels: [0, 2]).backward()
    let gradients = model.parameters.map(\.gradient)
    optimizer.step()
    #expect(gradients.allSatisfy { $0 != nil })
    // Every parameter moves but the convolution's bias, which batch norm right after it cancels:
    // its gradient is zero in exact arithmetic, and may be in floating point too.
    for ((name, parameter), before) in zip(model.namedParameters, before)
    where name != "layers.1.bias" {
      #expect(parameter.scalars != before, "\(name)")
    }
  }
}

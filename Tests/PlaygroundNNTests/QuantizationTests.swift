import Foundation
import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

/// Post-training int8 quantisation: weights within half a step of the floats, outputs close to
/// the float network's, checkpoints that round-trip exactly and refuse what is out of range.
@Suite(.onEveryBackend) struct QuantizationTests {
  /// A small CNN with non-zero biases (so that the order of scale and bias is checked).
  static func cnn() -> Sequential {
    let rng = RandomGenerator(seed: 1)
    let network = Sequential([
      Conv2D(
        inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, activation: .relu,
        generator: rng),
      MaxPool2D(size: 2), Flatten(),
      Dense(inputSize: 4 * 5 * 5, outputSize: 16, activation: .relu, generator: rng),
      Dense(inputSize: 16, outputSize: 3, generator: rng),
    ])
    for (name, tensor) in network.namedParameters where name.hasSuffix("bias") {
      tensor.scalars = rng.normalTensor(tensor.shape).scalars.map { $0 * 0.3 }
    }
    return network
  }

  static func images(_ count: Int, seed: UInt64) -> Tensor {
    let rng = RandomGenerator(seed: seed)
    return Tensor(
      shape: [count, 1, 10, 10],
      scalars: (0..<count * 100).map { _ in Float(rng.integer(below: 256)) / 255 })
  }

  @Test func weightsAreWithinHalfAStepPerChannel() {
    let weight = RandomGenerator(seed: 2).normalTensor([5, 7])
    let (integers, scales) = PostTrainingQuantization.symmetric(weight)
    for c in 0..<5 {
      let row = Array(weight.scalars[c * 7..<(c + 1) * 7])
      #expect(abs(scales.scalars[c] - row.map(abs).max()! / 127) < 1e-9)
      for i in 0..<7 {
        let q = integers.scalars[c * 7 + i]
        #expect(q == q.rounded() && abs(q) <= 127)
        #expect(abs(q * scales.scalars[c] - row[i]) <= scales.scalars[c] / 2 * 1.0001)
      }
    }
  }

  @Test func outputsStayCloseToTheFloatNetworks() throws {
    let network = Self.cnn()
    let quantized = try PostTrainingQuantization.quantize(
      network, calibration: Self.images(64, seed: 3))
    let test = Self.images(32, seed: 4)
    let (float, int8) = withoutGradient { (network(test), quantized(test)) }
    let scale = float.scalars.map(abs).max()!
    let worst = zip(float.scalars, int8.scalars).map { abs($0 - $1) }.max()!
    #expect(worst <= 0.03 * scale, "int8 differs by \(worst) at scale \(scale)")
    #expect(int8.shape == float.shape)
  }

  @Test func checkpointsRoundTripOnEveryBackend() throws {
    let network = Self.cnn()
    let quantized = try PostTrainingQuantization.quantize(
      network, calibration: Self.images(16, seed: 5))
    let contents = PostTrainingQuantization.checkpoint(of: quantized, metadata: ["config": "x"])
    let decoded = try SafeTensors.decode(SafeTensors.encode(contents))
    #expect(PostTrainingQuantization.isQuantized(decoded))
    #expect(decoded.elementType(of: "layers.0.weight") == .int8)
    let loaded = try PostTrainingQuantization.network(
      from: decoded, skeleton: Self.cnn(), source: "t")
    let test = Self.images(8, seed: 6)
    var outputs: [[Float]] = []
    for backend in ComputeBackend.allCases {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        outputs.append(withoutGradient { quantized(test).scalars })
        #expect(withoutGradient { loaded(test).scalars } == outputs.last!)
      }
    }
    // Exact integer sums on both; only the float epilogue's rounding differs (oneDNN adds the
    // bias before scaling).
    let worst = zip(outputs[0], outputs[1]).map { abs($0 - $1) }.max()!
    #expect(worst <= 1e-5, "the backends differ by \(worst)")
  }

  /// On 8-bit activations from end to end, the network computes what its layers do one by one
  /// through floats, up to a value that rounds the other way: on both backends.
  @Test func bytesFromEndToEndMatchTheLayersOneByOne() throws {
    let quantized = try PostTrainingQuantization.quantize(
      Self.cnn(), calibration: Self.images(64, seed: 10))
    let inference = try #require(QuantizedInference(quantized))
    let test = Self.images(32, seed: 11)
    for backend in ComputeBackend.allCases {
      try Compute.with(ComputeSettings(backend: backend, threads: 2)) {
        let (layers, bytes) = withoutGradient { (quantized(test), inference(test)) }
        let scale = layers.scalars.map(abs).max()!
        let worst = zip(layers.scalars, bytes.scalars).map { abs($0 - $1) }.max()!
        #expect(worst <= 0.01 * scale, "\(backend): differs by \(worst) at scale \(scale)")
        #expect(layers.argmaxLastAxis() == bytes.argmaxLastAxis())
      }
    }
    #expect(QuantizedInference(Self.cnn()) == nil, "a float network has no byte plan")
  }

  @Test func negativeInputsAndUnknownLayersAreRefused() {
    let negative = Self.images(4, seed: 7) - 0.5
    #expect(throws: PostTrainingQuantization.Unsupported.self) {
      try PostTrainingQuantization.quantize(Self.cnn(), calibration: negative)
    }
    let rng = RandomGenerator(seed: 0)
    let recurrent = Sequential([
      Reshape([10, 10]),
      LSTM(inputSize: 10, hiddenSize: 4, returnsSequences: false, generator: rng),
    ])
    #expect(throws: PostTrainingQuantization.Unsupported.self) {
      try PostTrainingQuantization.quantize(recurrent, calibration: Self.images(4, seed: 8))
    }
  }

  @Test func outOfRangeCheckpointsAreRefused() throws {
    let quantized = try PostTrainingQuantization.quantize(
      Self.cnn(), calibration: Self.images(8, seed: 9))
    var contents = PostTrainingQuantization.checkpoint(of: quantized, metadata: [:])
    contents.elementTypes["layers.3.weight"] = nil  // stored as F32
    #expect(throws: CheckpointMismatch.self) {
      try PostTrainingQuantization.network(from: contents, skeleton: Self.cnn(), source: "t")
    }
    contents = PostTrainingQuantization.checkpoint(of: quantized, metadata: [:])
    let index = contents.tensors.firstIndex { $0.name == "layers.0.input_scale" }!
    // Zero, subnormal (a division by it overflows) and infinite scales; a NaN bias.
    for scale in [Float(0), .leastNonzeroMagnitude, 1e-40, .infinity] {
      contents.tensors[index].tensor = Tensor(scale)
      #expect(throws: CheckpointMismatch.self) {
        try PostTrainingQuantization.network(from: contents, skeleton: Self.cnn(), source: "t")
      }
    }
    contents = PostTrainingQuantization.checkpoint(of: quantized, metadata: [:])
    let bias = contents.tensors.firstIndex { $0.name.hasSuffix(".bias") }!
    var values = contents.tensors[bias].tensor.scalars
    values[0] = .nan
    contents.tensors[bias].tensor = Tensor(
      shape: contents.tensors[bias].tensor.shape, scalars: values)
    #expect {
      try PostTrainingQuantization.network(from: contents, skeleton: Self.cnn(), source: "t")
    } throws: { "\($0)".contains("not finite: the file is damaged") }
  }
}

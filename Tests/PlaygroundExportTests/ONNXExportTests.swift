import Foundation
import PlaygroundCore
import PlaygroundExport
import PlaygroundNN
import SwiftProtobuf
import TestSupport
import Testing

/// The ONNX form of networks, read back through the same generated code.
@Suite(.onEveryBackend) struct ONNXExportTests {
  static func cnn() -> Sequential {
    let generator = RandomGenerator(seed: 3)
    return Sequential([
      Conv2D(
        inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, activation: .relu,
        generator: generator),
      MaxPool2D(size: 2),
      Flatten(),
      Dense(
        inputSize: 4 * 4 * 4, outputSize: 8, activation: .leakyRelu(negativeSlope: 0.2),
        generator: generator),
      Dense(inputSize: 8, outputSize: 3, generator: generator),
    ])
  }

  @Test func aNetworkBecomesItsOperatorsWithItsWeights() throws {
    let network = Self.cnn()
    let data = try ONNXExport.model(
      network, input: .init(name: "image", shape: [1, 8, 8]),
      output: .init(name: "logits", shape: [3]),
      softmax: "probabilities", name: "test", metadata: [("playground_config", "model: cnn\n")])
    let model = try Onnx_ModelProto(serializedBytes: data)
    #expect(model.irVersion == 8 && model.opsetImport.map(\.version) == [17])
    #expect(model.metadataProps.map(\.key) == ["playground_config"])
    let graph = model.graph
    #expect(
      graph.node.map(\.opType) == [
        "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "LeakyRelu", "Gemm", "Identity", "Softmax",
      ])
    let conv = graph.node[0]
    #expect(conv.attribute.first { $0.name == "pads" }?.ints == [1, 1, 1, 1])
    #expect(conv.attribute.first { $0.name == "kernel_shape" }?.ints == [3, 3])
    #expect(graph.node[4].attribute.first { $0.name == "transB" }?.i == 1)
    #expect(graph.node[5].attribute.first { $0.name == "alpha" }?.f == 0.2)
    // Every weight, as a float initializer holding its values.
    let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
    for (name, tensor) in network.namedParameters {
      let stored = try #require(initializers[name], "\(name)")
      #expect(stored.dims == tensor.shape.map(Int64.init))
      let values = stored.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
      #expect(values == tensor.scalars, "\(name)")
    }
    // The batch dimension is symbolic.
    let input = graph.input[0].type.tensorType.shape.dim
    #expect(input.first?.dimParam == "batch" && input.dropFirst().map(\.dimValue) == [1, 8, 8])
    #expect(graph.output.map(\.name) == ["logits", "probabilities"])
  }

  /// A conditional generator's graph: the label's embedding row joined to the noise, then the
  /// layers, batch norm with its running statistics and transposed convolutions included.
  @Test func aConditionalGeneratorTakesItsLabelAsASecondInput() throws {
    let generator = RandomGenerator(seed: 4)
    let embedding = Embedding(count: 10, dimension: 3, generator: generator)
    let norm = BatchNorm(featureCount: 8, epsilon: 0.8)
    let body = Sequential([
      Dense(inputSize: 5 + 3, outputSize: 8 * 2 * 2, generator: generator), Reshape([8, 2, 2]),
      norm, Activation(.relu),
      ConvTranspose2D(
        inputChannels: 8, outputChannels: 1, kernelSize: 4, stride: 2, padding: 1,
        activation: .tanh, generator: generator),
    ])
    let graph = try Onnx_ModelProto(
      serializedBytes: ONNXExport.model(
        body, input: .init(name: "noise", shape: [5]), label: ("label", embedding),
        output: .init(name: "image", shape: [1, 4, 4]), name: "g")
    ).graph
    #expect(graph.input.map(\.name) == ["noise", "label"])
    #expect(
      graph.input[1].type.tensorType.elemType == Int32(Onnx_TensorProto.DataType.int64.rawValue))
    #expect(
      graph.node.map(\.opType) == [
        "Gather", "Concat", "Gemm", "Reshape", "BatchNormalization", "Relu", "ConvTranspose",
        "Tanh",
        "Identity",
      ])
    #expect(graph.node[4].attribute.first { $0.name == "epsilon" }?.f == 0.8)
    #expect(graph.node[4].input.suffix(2) == ["layers.2.running_mean", "layers.2.running_var"])
    #expect(graph.node[6].attribute.first { $0.name == "strides" }?.ints == [2, 2])
  }

  @Test func aLayerWithoutAnONNXFormIsNamed() {
    let network = Sequential([Flatten(), Dropout(rate: 0.5, generator: RandomGenerator(seed: 0))])
    #expect(throws: ONNXExport.Unsupported.self) {
      try ONNXExport.model(
        network, input: .init(name: "x", shape: [2, 3]), output: .init(name: "y", shape: [6]),
        name: "n")
    }
  }

  /// ONNX's gate orders: LSTM i, o, f, c (PyTorch's i, f, g, o), GRU z, r, h (PyTorch's r, z, n).
  @Test func recurrentWeightsAreReorderedIntoONNXsGateOrder() throws {
    let lstm = LSTM(
      inputSize: 3, hiddenSize: 2, returnsSequences: false, generator: RandomGenerator(seed: 1))
    let data = try ONNXExport.model(
      Sequential([Reshape([5, 3]), lstm]), input: .init(name: "x", shape: [1, 5, 3]),
      output: .init(name: "h", shape: [2]), name: "n")
    let graph = try Onnx_ModelProto(serializedBytes: data).graph
    #expect(
      graph.node.map(\.opType) == [
        "Reshape", "Transpose", "LSTM", "Squeeze", "Squeeze", "Identity",
      ])
    let w = try #require(graph.initializer.first { $0.name == "layers.1.l0.W" })
    #expect(w.dims == [1, 8, 3])
    let values = w.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let torch = lstm.weightsIH[0].scalars  // rows: i(2), f(2), g(2), o(2), 3 columns each
    let block = { (gate: Int) in Array(torch[(gate * 6)..<((gate + 1) * 6)]) }
    #expect(values == block(0) + block(3) + block(1) + block(2))
    #expect(graph.node[1].attribute.first { $0.name == "perm" }?.ints == [1, 0, 2])
    let gru = GRU(
      inputSize: 3, hiddenSize: 2, returnsSequences: false, generator: RandomGenerator(seed: 2))
    let gruGraph = try Onnx_ModelProto(
      serializedBytes: ONNXExport.model(
        Sequential([Reshape([5, 3]), gru]), input: .init(name: "x", shape: [1, 5, 3]),
        output: .init(name: "h", shape: [2]), name: "n")
    ).graph
    #expect(gruGraph.node[2].attribute.first { $0.name == "linear_before_reset" }?.i == 1)
    let b = try #require(gruGraph.initializer.first { $0.name == "layers.1.l0.B" })
    let biases = b.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let (ih, hh) = (gru.biasesIH[0].scalars, gru.biasesHH[0].scalars)
    let reorder = { (v: [Float]) in Array(v[2..<4] + v[0..<2] + v[4..<6]) }
    #expect(biases == reorder(ih) + reorder(hh))
  }

  /// Opset 17 has no group norm: it is written as InstanceNormalization over the groups between
  /// two reshapes, then γ and β per channel.
  @Test func groupNormIsInstanceNormalizationOverTheGroups() throws {
    let norm = GroupNorm(groups: 2, channels: 4, epsilon: 1e-3)
    let graph = try Onnx_ModelProto(
      serializedBytes: ONNXExport.model(
        Sequential([norm]), input: .init(name: "x", shape: [4, 3, 3]),
        output: .init(name: "y", shape: [4, 3, 3]), name: "g")
    ).graph
    #expect(
      graph.node.map(\.opType) == [
        "Shape", "Reshape", "InstanceNormalization", "Reshape", "Mul", "Add", "Identity",
      ])
    #expect(graph.node[2].attribute.first { $0.name == "epsilon" }?.f == 1e-3)
    let shape = try #require(graph.initializer.first { $0.name == "layers.0.grouped_shape" })
    #expect(shape.int64Data == [0, 2, -1])
    let gamma = try #require(graph.initializer.first { $0.name == "layers.0.weight" })
    #expect(gamma.dims == [4, 1, 1])
  }

  /// A graph written step by step: several inputs, named weights, the U-Net's operators.
  @Test func aGraphIsWrittenStepByStep() throws {
    let generator = RandomGenerator(seed: 5)
    var graph = ONNXGraph(name: "u")
    let x = graph.input(.init(name: "image", shape: [2, 4, 4]))
    let t = graph.input(.init(name: "t", shape: []))
    let label = graph.labelInput("label")
    let time = graph.sinusoidal(SinusoidalEmbedding(dimension: 4), of: t, name: "time")
    let row = graph.rows(
      of: Embedding(count: 3, dimension: 4, generator: generator), prefix: "y", at: label)
    let e = graph.silu(graph.sum(time, row, name: "e"), name: "e.silu")
    let conv = try graph.layer(
      Conv2D(inputChannels: 2, outputChannels: 4, kernelSize: 3, padding: 1, generator: generator),
      prefix: "c", from: x)
    let down = graph.averagePooled2x2(graph.addingPerChannel(conv, e, name: "plus"), name: "down")
    let up = graph.upsampledNearest2x(down, name: "up")
    graph.output(
      .init(name: "out", shape: [6, 4, 4]),
      from: graph.concatenatedChannels([up, x], name: "join"))
    let model = try Onnx_ModelProto(serializedBytes: graph.model(metadata: [("k", "v")]))
    #expect(model.opsetImport.map(\.version) == [17] && model.metadataProps.map(\.key) == ["k"])
    #expect(model.graph.input.map(\.name) == ["image", "t", "label"])
    #expect(
      model.graph.input[2].type.tensorType.elemType
        == Int32(Onnx_TensorProto.DataType.int64.rawValue))
    #expect(
      model.graph.node.map(\.opType) == [
        "Unsqueeze", "Mul", "Mul", "Sin", "Cos", "Concat", "Gather", "Add", "Sigmoid", "Mul",
        "Conv", "Unsqueeze", "Add", "AveragePool", "Resize", "Concat", "Identity",
      ])
    let names = Set(model.graph.initializer.map(\.name))
    #expect(names.isSuperset(of: ["y.weight", "c.weight", "c.bias", "time.frequencies"]))
    let resize = try #require(model.graph.node.first { $0.opType == "Resize" })
    #expect(resize.attribute.first { $0.name == "mode" }?.s == Data("nearest".utf8))
    #expect(model.graph.output.map(\.name) == ["out"])
  }
}

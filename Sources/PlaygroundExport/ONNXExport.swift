import Foundation
import PlaygroundCore
import PlaygroundNN
import SwiftProtobuf

/// A network as an ONNX model (opset 17, IR version 8): each layer becomes the ONNX operators
/// that compute it — `Flatten`, `Gemm` (a dense layer, `transB` = 1 as its weight is
/// `[out, in]`), `Conv`, `ConvTranspose`, `MaxPool`, `BatchNormalization` (with the running
/// statistics, as in evaluation), the activations, `LSTM`/`GRU`/`RNN`, `Reshape`, `GroupNorm` (as
/// `InstanceNormalization` over the groups, then its scale and shift) — with the
/// weights as float initializers
/// named as in the playground's checkpoints (`layers.<i>.weight`). The batch dimension is
/// symbolic (`batch`). Written through swift-protobuf with the code generated from the ONNX
/// project's `onnx.proto` (`Generated/onnx.pb.swift`).
public enum ONNXExport {
  /// An input or output: its name and its shape after the batch dimension.
  public struct Port: Sendable {
    public var name: String
    public var shape: [Int]
    public init(name: String, shape: [Int]) {
      self.name = name
      self.shape = shape
    }
  }

  /// A layer the export has no ONNX form for.
  public struct Unsupported: Error, CustomStringConvertible {
    public let description: String
  }

  /// The ONNX model of `network` taking `input`.
  /// - Parameters:
  ///   - outputs: the network's output, and optionally a second output with its softmax.
  ///   - metadata: `metadata_props` (e.g. the run's config).
  /// - Throws: ``Unsupported`` naming the first layer that has no ONNX form here.
  ///   - label: a second input of class labels (int64, `[batch]`) whose rows of `embedding` are
  ///     appended to the input's features before the network (a conditional GAN's generator).
  public static func model(
    _ network: Sequential, input: Port, label: (name: String, embedding: Embedding)? = nil,
    output: Port, softmax: String? = nil, name: String, metadata: [(String, String)] = []
  ) throws -> Data {
    var graph = Onnx_GraphProto()
    graph.name = name
    graph.input = [valueInfo(input)]
    var current = input.name
    if let label {
      graph.input.append(valueInfo(Port(name: label.name, shape: []), type: .int64))
      graph.initializer.append(tensor(label.embedding.weight, name: "embedding.weight"))
      graph.node.append(
        node("Gather", ["embedding.weight", label.name], ["embedding.rows"], name: "embedding"))
      var concat = node("Concat", [current, "embedding.rows"], ["embedding.joined"], name: "join")
      concat.attribute = [attribute("axis", 1)]
      graph.node.append(concat)
      current = "embedding.joined"
    }
    for (index, layer) in network.layers.enumerated() {
      current = try append(layer, index: index, from: current, to: &graph)
    }
    graph.node.append(node("Identity", [current], [output.name], name: "output"))
    graph.output = [valueInfo(output)]
    if let softmax {
      var node = node("Softmax", [output.name], [softmax], name: "softmax")
      node.attribute = [attribute("axis", 1)]
      graph.node.append(node)
      graph.output.append(valueInfo(Port(name: softmax, shape: output.shape)))
    }
    return try serialized(graph, metadata: metadata)
  }

  /// The bytes of a model of `graph`: IR version 8, opset 17, producer `playground`.
  static func serialized(_ graph: Onnx_GraphProto, metadata: [(String, String)]) throws -> Data {
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.producerName = "playground"
    model.graph = graph
    var opset = Onnx_OperatorSetIdProto()
    opset.domain = ""
    opset.version = 17
    model.opsetImport = [opset]
    model.metadataProps = metadata.map { key, value in
      var entry = Onnx_StringStringEntryProto()
      entry.key = key
      entry.value = value
      return entry
    }
    return try model.serializedData()
  }

  /// The nodes and weights of layer `index` of a chain; returns the name of its output.
  static func append(
    _ layer: any Layer, index: Int, from input: String, to graph: inout Onnx_GraphProto
  ) throws -> String {
    try append(layer, prefix: "layers.\(index)", from: input, to: &graph) {
      "layer \(index) (\(type(of: layer))) has no ONNX form in this export yet"
    }
  }

  /// The nodes and weights of `layer`, its weights named `<prefix>.<name>`; returns the name of
  /// its output. `refusal` says why when it has no ONNX form.
  static func append(
    _ layer: any Layer, prefix: String, from input: String, to graph: inout Onnx_GraphProto,
    refusal: () -> String
  ) throws -> String {
    switch layer {
    case let dense as Dense:
      let inputs = [input] + weights(dense.weight, bias: dense.bias, prefix: prefix, in: &graph)
      var gemm = node("Gemm", inputs, ["\(prefix).linear"], name: "\(prefix).gemm")
      gemm.attribute = [attribute("transB", 1)]
      graph.node.append(gemm)
      return try activation(dense.activation, from: "\(prefix).linear", prefix: prefix, in: &graph)
    case let conv as Conv2D:
      let inputs = [input] + weights(conv.weight, bias: conv.bias, prefix: prefix, in: &graph)
      let kernel = Array(conv.weight.shape.suffix(2))
      var node = node("Conv", inputs, ["\(prefix).conv"], name: "\(prefix).conv")
      node.attribute = [
        attribute("kernel_shape", kernel), attribute("strides", [conv.stride, conv.stride]),
        attribute("pads", [Int](repeating: conv.padding, count: 4)),
      ]
      graph.node.append(node)
      return try activation(conv.activation, from: "\(prefix).conv", prefix: prefix, in: &graph)
    case let pool as MaxPool2D:
      var node = node("MaxPool", [input], ["\(prefix).pool"], name: "\(prefix).pool")
      node.attribute = [
        attribute("kernel_shape", [pool.size, pool.size]),
        attribute("strides", [pool.stride, pool.stride]),
      ]
      graph.node.append(node)
      return "\(prefix).pool"
    case is Flatten:
      var node = node("Flatten", [input], ["\(prefix).flat"], name: "\(prefix).flatten")
      node.attribute = [attribute("axis", 1)]
      graph.node.append(node)
      return "\(prefix).flat"
    case let layer as Activation:
      return try activation(layer.function, from: input, prefix: prefix, in: &graph)
    case let norm as BatchNorm:
      for (suffix, tensor) in [
        ("weight", norm.weight), ("bias", norm.bias), ("running_mean", norm.runningMean),
        ("running_var", norm.runningVariance),
      ] {
        graph.initializer.append(self.tensor(tensor, name: "\(prefix).\(suffix)"))
      }
      var node = node(
        "BatchNormalization",
        [input] + ["weight", "bias", "running_mean", "running_var"].map { "\(prefix).\($0)" },
        ["\(prefix).norm"], name: "\(prefix).batch_norm")
      node.attribute = [attribute("epsilon", norm.epsilon)]
      graph.node.append(node)
      return "\(prefix).norm"
    case let conv as ConvTranspose2D:
      let inputs = [input] + weights(conv.weight, bias: conv.bias, prefix: prefix, in: &graph)
      var node = node(
        "ConvTranspose", inputs, ["\(prefix).deconv"], name: "\(prefix).conv_transpose")
      node.attribute = [
        attribute("kernel_shape", Array(conv.weight.shape.suffix(2))),
        attribute("strides", [conv.stride, conv.stride]),
        attribute("pads", [Int](repeating: conv.padding, count: 4)),
        attribute("output_padding", [conv.outputPadding, conv.outputPadding]),
      ]
      graph.node.append(node)
      return try activation(conv.activation, from: "\(prefix).deconv", prefix: prefix, in: &graph)
    case let stack as RecurrentStack:
      return try appendRecurrent(stack, prefix: prefix, from: input, to: &graph)
    case let kernel as QuantizedKernel:
      return try appendQuantized(kernel, prefix: prefix, from: input, to: &graph)
    case let reshape as Reshape:
      return appendReshape(reshape.targetShape, prefix: prefix, from: input, to: &graph)
    case let norm as GroupNorm:
      return appendGroupNorm(norm, prefix: prefix, from: input, to: &graph)
    default:
      throw Unsupported(description: refusal())
    }
  }

  /// A layer's weight and bias as initializers `<prefix>.weight`, `<prefix>.bias`; their names.
  static func weights(
    _ weight: Tensor, bias: Tensor?, prefix: String, in graph: inout Onnx_GraphProto
  ) -> [String] {
    graph.initializer.append(tensor(weight, name: "\(prefix).weight"))
    guard let bias else { return ["\(prefix).weight"] }
    graph.initializer.append(tensor(bias, name: "\(prefix).bias"))
    return ["\(prefix).weight", "\(prefix).bias"]
  }

  /// The activation's node after `input` (none for the identity).
  static func activation(
    _ function: ActivationFunction, from input: String, prefix: String,
    in graph: inout Onnx_GraphProto
  ) throws -> String {
    let output = "\(prefix).out"
    switch function {
    case .identity: return input
    case .relu: graph.node.append(node("Relu", [input], [output], name: "\(prefix).relu"))
    case .tanh: graph.node.append(node("Tanh", [input], [output], name: "\(prefix).tanh"))
    case .sigmoid: graph.node.append(node("Sigmoid", [input], [output], name: "\(prefix).sigmoid"))
    case .leakyRelu(let slope):
      var node = node("LeakyRelu", [input], [output], name: "\(prefix).leaky_relu")
      node.attribute = [attribute("alpha", slope)]
      graph.node.append(node)
    case .softmax:
      var node = node("Softmax", [input], [output], name: "\(prefix).softmax")
      node.attribute = [attribute("axis", -1)]
      graph.node.append(node)
    }
    return output
  }

  static func node(_ type: String, _ inputs: [String], _ outputs: [String], name: String)
    -> Onnx_NodeProto
  {
    var node = Onnx_NodeProto()
    node.opType = type
    node.input = inputs
    node.output = outputs
    node.name = name
    return node
  }

  static func attribute(_ name: String, _ value: Int) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .int
    attribute.i = Int64(value)
    return attribute
  }

  static func attribute(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .ints
    attribute.ints = values.map(Int64.init)
    return attribute
  }

  static func attribute(_ name: String, _ value: String) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .string
    attribute.s = Data(value.utf8)
    return attribute
  }

  static func attribute(_ name: String, _ value: Float) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .float
    attribute.f = value
    return attribute
  }

  /// A float initializer: its dims and its values as little-endian bytes.
  static func tensor(_ tensor: Tensor, name: String) -> Onnx_TensorProto {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    proto.dims = tensor.shape.map(Int64.init)
    proto.rawData = tensor.scalars.withUnsafeBufferPointer { Data(buffer: $0) }
    return proto
  }

  /// A tensor of `[batch] + port.shape`, float unless told.
  static func valueInfo(_ port: Port, type elementType: Onnx_TensorProto.DataType = .float)
    -> Onnx_ValueInfoProto
  {
    var shape = Onnx_TensorShapeProto()
    var batch = Onnx_TensorShapeProto.Dimension()
    batch.dimParam = "batch"
    shape.dim =
      [batch]
      + port.shape.map { size in
        var dimension = Onnx_TensorShapeProto.Dimension()
        dimension.dimValue = Int64(size)
        return dimension
      }
    var tensorType = Onnx_TypeProto.Tensor()
    tensorType.elemType = Int32(elementType.rawValue)
    tensorType.shape = shape
    var type = Onnx_TypeProto()
    type.tensorType = tensorType
    var info = Onnx_ValueInfoProto()
    info.name = port.name
    info.type = type
    return info
  }
}

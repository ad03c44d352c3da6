import Foundation
import PlaygroundCore
import PlaygroundNN

/// An ONNX graph written step by step, for a network that is not a chain of layers — a U-Net
/// with skip connections and inputs besides the image. Each method appends the operators of one
/// step and returns the name of its output; weights become float initializers named
/// `<prefix>.<name>` as in the network's checkpoint. ``model(metadata:)`` gives the model's
/// bytes (opset 17, IR version 8, like ``ONNXExport/model(_:input:label:output:softmax:name:metadata:)``).
public struct ONNXGraph {
  var graph = Onnx_GraphProto()

  public init(name: String) {
    graph.name = name
  }

  /// A float input `[batch] + port.shape`; returns its name.
  public mutating func input(_ port: ONNXExport.Port) -> String {
    graph.input.append(ONNXExport.valueInfo(port))
    return port.name
  }

  /// An int64 input `[batch]` of class labels; returns its name.
  public mutating func labelInput(_ name: String) -> String {
    graph.input.append(ONNXExport.valueInfo(.init(name: name, shape: []), type: .int64))
    return name
  }

  /// `value` as the graph's output `port`.
  public mutating func output(_ port: ONNXExport.Port, from value: String) {
    graph.node.append(ONNXExport.node("Identity", [value], [port.name], name: port.name))
    graph.output.append(ONNXExport.valueInfo(port))
  }

  /// The model's bytes.
  public func model(metadata: [(String, String)] = []) throws -> Data {
    try ONNXExport.serialized(graph, metadata: metadata)
  }

  /// One of the playground's layers (dense, convolution, group norm, …) as the chain export
  /// writes it, its weights `<prefix>.weight` and `<prefix>.bias`.
  /// - Throws: ``ONNXExport/Unsupported`` for a layer without an ONNX form.
  public mutating func layer(_ layer: any Layer, prefix: String, from input: String) throws
    -> String
  {
    try ONNXExport.append(layer, prefix: prefix, from: input, to: &graph) {
      "\(prefix) (\(type(of: layer))) has no ONNX form in this export yet"
    }
  }

  /// SiLU, `x · σ(x)` (opset 17 has no operator of its own for it).
  public mutating func silu(_ input: String, name: String) -> String {
    append("Sigmoid", [input], "\(name).sigmoid")
    return append("Mul", [input, "\(name).sigmoid"], name)
  }

  /// `a + b` element-wise (with ONNX's broadcasting).
  public mutating func sum(_ a: String, _ b: String, name: String) -> String {
    append("Add", [a, b], name)
  }

  /// `x` `[N, C, H, W]` plus `vectors` `[N, C]` at every pixel of each sample's channel.
  public mutating func addingPerChannel(_ x: String, _ vectors: String, name: String) -> String {
    graph.initializer.append(ONNXExport.int64Tensor([2, 3], name: "\(name).axes"))
    append("Unsqueeze", [vectors, "\(name).axes"], "\(name).planes")
    return append("Add", [x, "\(name).planes"], name)
  }

  /// The inputs joined along the channels (axis 1).
  public mutating func concatenatedChannels(_ inputs: [String], name: String) -> String {
    concatenated(inputs, axis: 1, name: name)
  }

  /// 2×2 average pooling with stride 2.
  public mutating func averagePooled2x2(_ input: String, name: String) -> String {
    var node = ONNXExport.node("AveragePool", [input], [name], name: name)
    node.attribute = [
      ONNXExport.attribute("kernel_shape", [2, 2]), ONNXExport.attribute("strides", [2, 2]),
    ]
    graph.node.append(node)
    return name
  }

  /// Each pixel repeated into a 2×2 block: `Resize` with scales 2, nearest, asymmetric
  /// coordinates rounded down (what PyTorch exports for `interpolate(scale_factor=2)`).
  public mutating func upsampledNearest2x(_ input: String, name: String) -> String {
    graph.initializer.append(ONNXExport.tensor([1, 1, 2, 2], dims: [4], name: "\(name).scales"))
    var node = ONNXExport.node("Resize", [input, "", "\(name).scales"], [name], name: name)
    node.attribute = [
      ONNXExport.attribute("mode", "nearest"),
      ONNXExport.attribute("coordinate_transformation_mode", "asymmetric"),
      ONNXExport.attribute("nearest_mode", "floor"),
    ]
    graph.node.append(node)
    return name
  }

  /// The rows of `embedding` (initializer `<prefix>.weight`) at the int64 `indices`.
  public mutating func rows(of embedding: Embedding, prefix: String, at indices: String) -> String {
    graph.initializer.append(ONNXExport.tensor(embedding.weight, name: "\(prefix).weight"))
    return append("Gather", ["\(prefix).weight", indices], "\(prefix).rows")
  }

  /// `embedding` of the float `times` `[batch]`: `[batch, dimension]`, sin then cos of
  /// (t · s) · fₖ, multiplied in the same order as the playground so that the angles (up to s)
  /// round alike.
  public mutating func sinusoidal(
    _ embedding: SinusoidalEmbedding, of times: String, name: String
  ) -> String {
    let frequencies = embedding.frequencies
    graph.initializer += [
      ONNXExport.int64Tensor([1], name: "\(name).axes"),
      ONNXExport.tensor([embedding.scale], dims: [1], name: "\(name).scale"),
      ONNXExport.tensor(frequencies, dims: [1, frequencies.count], name: "\(name).frequencies"),
    ]
    append("Unsqueeze", [times, "\(name).axes"], "\(name).column")
    append("Mul", ["\(name).column", "\(name).scale"], "\(name).scaled")
    append("Mul", ["\(name).scaled", "\(name).frequencies"], "\(name).angles")
    append("Sin", ["\(name).angles"], "\(name).sin")
    append("Cos", ["\(name).angles"], "\(name).cos")
    return concatenated(["\(name).sin", "\(name).cos"], axis: 1, name: name)
  }

  private mutating func concatenated(_ inputs: [String], axis: Int, name: String) -> String {
    var node = ONNXExport.node("Concat", inputs, [name], name: name)
    node.attribute = [ONNXExport.attribute("axis", axis)]
    graph.node.append(node)
    return name
  }

  /// One node named after its single output.
  @discardableResult
  private mutating func append(_ type: String, _ inputs: [String], _ output: String) -> String {
    graph.node.append(ONNXExport.node(type, inputs, [output], name: output))
    return output
  }
}

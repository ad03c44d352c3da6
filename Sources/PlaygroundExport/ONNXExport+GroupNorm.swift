import PlaygroundNN

extension ONNXExport {
  /// Group normalization in opset 17, which has no operator for it (PyTorch's exporter writes the
  /// same): `Reshape` to `[batch, groups, −1]`, `InstanceNormalization` with unit scale and zero
  /// shift (each group over its channels and pixels), `Reshape` back to the input's shape, then
  /// the per-channel γ and β (`<prefix>.weight`, `<prefix>.bias`, stored `[C, 1, 1]` so that
  /// they broadcast over the pixels).
  static func appendGroupNorm(
    _ norm: GroupNorm, prefix: String, from input: String, to graph: inout Onnx_GraphProto
  ) -> String {
    let channels = norm.weight.count
    graph.initializer += [
      int64Tensor([0, norm.groups, -1], name: "\(prefix).grouped_shape"),
      tensor(
        [Float](repeating: 1, count: norm.groups), dims: [norm.groups], name: "\(prefix).ones"),
      tensor(
        [Float](repeating: 0, count: norm.groups), dims: [norm.groups], name: "\(prefix).zeros"),
      tensor(norm.weight.scalars, dims: [channels, 1, 1], name: "\(prefix).weight"),
      tensor(norm.bias.scalars, dims: [channels, 1, 1], name: "\(prefix).bias"),
    ]
    var instance = node(
      "InstanceNormalization", ["\(prefix).grouped", "\(prefix).ones", "\(prefix).zeros"],
      ["\(prefix).normalized"], name: "\(prefix).instance_norm")
    instance.attribute = [attribute("epsilon", norm.epsilon)]
    graph.node += [
      node("Shape", [input], ["\(prefix).input_shape"], name: "\(prefix).shape"),
      node(
        "Reshape", [input, "\(prefix).grouped_shape"], ["\(prefix).grouped"],
        name: "\(prefix).group"),
      instance,
      node(
        "Reshape", ["\(prefix).normalized", "\(prefix).input_shape"], ["\(prefix).ungrouped"],
        name: "\(prefix).ungroup"),
      node(
        "Mul", ["\(prefix).ungrouped", "\(prefix).weight"], ["\(prefix).scaled"],
        name: "\(prefix).scale"),
      node(
        "Add", ["\(prefix).scaled", "\(prefix).bias"], ["\(prefix).out"], name: "\(prefix).shift"),
    ]
    return "\(prefix).out"
  }
}

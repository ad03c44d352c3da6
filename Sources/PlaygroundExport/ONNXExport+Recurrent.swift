import Foundation
import PlaygroundCore
import PlaygroundNN

/// Recurrent layers and reshapes in ONNX: `LSTM`, `GRU` and `RNN` operators, one per stacked
/// layer, time-major between `Transpose`s (the playground's are `[batch, steps, features]`;
/// onnxruntime runs only ONNX's default `layout` 0).
/// ONNX orders the gates differently from PyTorch (whose order the playground keeps): LSTM
/// `i, o, f, c` for PyTorch's `i, f, g, o`, GRU `z, r, h` for `r, z, n` (with
/// `linear_before_reset` = 1, PyTorch's form of the candidate); the weights are reordered here.
extension ONNXExport {
  static func appendRecurrent(
    _ stack: RecurrentStack, prefix: String, from input: String, to graph: inout Onnx_GraphProto
  ) throws -> String {
    let hidden = stack.hiddenSize
    let (type, order): (String, [Int]) =
      switch stack.cell {
      case .lstm: ("LSTM", [0, 3, 1, 2])
      case .gru: ("GRU", [1, 0, 2])
      case .rnn: ("RNN", [0])
      }
    // ONNX runtimes take these operators time-major (layout 0): [steps, batch, features].
    var current = "\(prefix).time_major"
    var transpose = node("Transpose", [input], [current], name: "\(prefix).transpose")
    transpose.attribute = [attribute("perm", [1, 0, 2])]
    graph.node.append(transpose)
    for layer in 0..<stack.layerCount {
      let name = "\(prefix).l\(layer)"
      let w = reordered(stack.weightsIH[layer], gates: order, hidden: hidden)
      let r = reordered(stack.weightsHH[layer], gates: order, hidden: hidden)
      graph.initializer.append(
        tensor(w, dims: [1] + stack.weightsIH[layer].shape, name: "\(name).W"))
      graph.initializer.append(
        tensor(r, dims: [1] + stack.weightsHH[layer].shape, name: "\(name).R"))
      var inputs = [current, "\(name).W", "\(name).R"]
      if !stack.biasesIH.isEmpty {
        let b =
          reordered(stack.biasesIH[layer], gates: order, hidden: hidden)
          + reordered(stack.biasesHH[layer], gates: order, hidden: hidden)
        graph.initializer.append(tensor(b, dims: [1, b.count], name: "\(name).B"))
        inputs.append("\(name).B")
      }
      var node = node(type, inputs, ["\(name).Y", "\(name).Y_h"], name: name)
      node.attribute = [attribute("hidden_size", hidden)]
      if stack.cell == .gru { node.attribute.append(attribute("linear_before_reset", 1)) }
      graph.node.append(node)
      // Y is [steps, 1, batch, hidden]: the next layer reads [steps, batch, hidden].
      current = squeeze("\(name).Y", axis: 1, output: "\(name).sequence", in: &graph)
      if layer == stack.layerCount - 1 && !stack.returnsSequences {
        // Y_h is [1, batch, hidden].
        return squeeze("\(name).Y_h", axis: 0, output: "\(name).last", in: &graph)
      }
    }
    var back = node(
      "Transpose", [current], ["\(prefix).batch_major"], name: "\(prefix).transpose_back")
    back.attribute = [attribute("perm", [1, 0, 2])]
    graph.node.append(back)
    return "\(prefix).batch_major"
  }

  /// `Reshape` to `[batch] + shape`.
  static func appendReshape(
    _ shape: [Int], prefix: String, from input: String, to graph: inout Onnx_GraphProto
  ) -> String {
    graph.initializer.append(int64Tensor([-1] + shape, name: "\(prefix).shape"))
    graph.node.append(
      node(
        "Reshape", [input, "\(prefix).shape"], ["\(prefix).reshaped"], name: "\(prefix).reshape"))
    return "\(prefix).reshaped"
  }

  /// `Squeeze` of one axis (opset 13+: the axes as an input).
  static func squeeze(_ input: String, axis: Int, output: String, in graph: inout Onnx_GraphProto)
    -> String
  {
    graph.initializer.append(int64Tensor([axis], name: "\(output).axes"))
    graph.node.append(
      node("Squeeze", [input, "\(output).axes"], [output], name: "\(output).squeeze"))
    return output
  }

  /// The rows of `tensor` (a stack of gate blocks of `hidden` rows each) in gate order `order`.
  static func reordered(_ tensor: Tensor, gates order: [Int], hidden: Int) -> [Float] {
    let block = hidden * (tensor.count / (order.count * hidden))
    return order.flatMap { gate in tensor.scalars[(gate * block)..<((gate + 1) * block)] }
  }

  static func tensor(_ values: [Float], dims: [Int], name: String) -> Onnx_TensorProto {
    tensor(Tensor(shape: dims, scalars: values), name: name)
  }

  static func int64Tensor(_ values: [Int], name: String) -> Onnx_TensorProto {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
    proto.dims = [Int64(values.count)]
    proto.int64Data = values.map(Int64.init)
    return proto
  }
}

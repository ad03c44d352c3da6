import Foundation
import PlaygroundCore
import PlaygroundNN

extension ONNXExport {
  /// A ``QuantizedKernel`` in ONNX's QDQ form (what onnxruntime's `quantize_static` writes):
  /// the input through `QuantizeLinear` → `DequantizeLinear` (uint8, zero point 0, the
  /// calibrated scale), the weight as an int8 initializer through a per-channel
  /// `DequantizeLinear` (axis 0), then the float `Gemm` or `Conv` with the float bias, and the
  /// activation. Runtimes fuse the pattern into integer kernels.
  static func appendQuantized(
    _ kernel: QuantizedKernel, prefix: String, from input: String,
    to graph: inout Onnx_GraphProto
  ) throws -> String {
    graph.initializer += [
      tensor(kernel.inputScale.reshaped([]), name: "\(prefix).input_scale"),
      integers([0], shape: [], type: .uint8, name: "\(prefix).input_zero_point"),
      integers(
        kernel.weight.scalars, shape: kernel.weight.shape, type: .int8, name: "\(prefix).weight"),
      tensor(kernel.weightScale, name: "\(prefix).weight_scale"),
      integers(
        [Float](repeating: 0, count: kernel.outputChannels), shape: [kernel.outputChannels],
        type: .int8, name: "\(prefix).weight_zero_point"),
    ]
    let inputQuantization = ["\(prefix).input_scale", "\(prefix).input_zero_point"]
    graph.node += [
      node(
        "QuantizeLinear", [input] + inputQuantization, ["\(prefix).input_q"],
        name: "\(prefix).quantize_input"),
      node(
        "DequantizeLinear", ["\(prefix).input_q"] + inputQuantization, ["\(prefix).input_dq"],
        name: "\(prefix).dequantize_input"),
    ]
    var weight = node(
      "DequantizeLinear",
      ["\(prefix).weight", "\(prefix).weight_scale", "\(prefix).weight_zero_point"],
      ["\(prefix).weight_dq"], name: "\(prefix).dequantize_weight")
    weight.attribute = [attribute("axis", 0)]
    graph.node.append(weight)
    var inputs = ["\(prefix).input_dq", "\(prefix).weight_dq"]
    if let bias = kernel.bias {
      graph.initializer.append(tensor(bias, name: "\(prefix).bias"))
      inputs.append("\(prefix).bias")
    }
    let output: String
    switch kernel.operation {
    case .dense:
      output = "\(prefix).linear"
      var gemm = node("Gemm", inputs, [output], name: "\(prefix).gemm")
      gemm.attribute = [attribute("transB", 1)]
      graph.node.append(gemm)
    case .convolution(let stride, let padding):
      output = "\(prefix).conv"
      var conv = node("Conv", inputs, [output], name: "\(prefix).conv")
      conv.attribute = [
        attribute("kernel_shape", Array(kernel.weight.shape.suffix(2))),
        attribute("strides", [stride, stride]),
        attribute("pads", [Int](repeating: padding, count: 4)),
      ]
      graph.node.append(conv)
    }
    return try activation(kernel.activation, from: output, prefix: prefix, in: &graph)
  }

  /// An integer initializer (`uint8` or `int8`) of whole-number `values`.
  static func integers(
    _ values: [Float], shape: [Int], type: Onnx_TensorProto.DataType, name: String
  ) -> Onnx_TensorProto {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dataType = Int32(type.rawValue)
    proto.dims = shape.map(Int64.init)
    proto.rawData = Data(
      values.map { type == .uint8 ? UInt8($0) : UInt8(bitPattern: Int8($0)) })
    return proto
  }
}

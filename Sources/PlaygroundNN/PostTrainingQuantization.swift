import PlaygroundCore

/// Post-training static quantisation of a trained network to int8 (what PyTorch's
/// `torch.ao.quantization` and onnxruntime's `quantize_static` do): each ``Dense`` and ``Conv2D``
/// becomes a ``QuantizedKernel`` with per-output-channel symmetric int8 weights and an input
/// scale calibrated on typical inputs (min/max: the largest input seen maps to 255); pooling,
/// flattening and reshaping stay as they are.
///
/// Supports the networks whose quantised layers only ever see non-negative inputs: images and
/// ReLU outputs (the classifier's MLP and CNN). The int8 checkpoint stores each quantised layer
/// as `layers.<i>.weight` (`I8`), `.weight_scale`, `.input_scale` and `.bias` (`F32`).
public enum PostTrainingQuantization {
  /// The metadata entry that marks an int8 checkpoint: `quantization: int8`.
  public static let marker = (key: "quantization", value: "int8")

  /// A network or file this quantisation cannot take; the message says why.
  public struct Unsupported: Error, CustomStringConvertible {
    public let description: String
  }

  /// The int8 form of `network`, its input scales calibrated on `calibration` (a batch of
  /// inputs like those it will see, e.g. a few hundred training images).
  /// - Throws: ``Unsupported`` for a layer it has no int8 form for, or a layer input that goes
  ///   negative on the calibration batch.
  public static func quantize(_ network: Sequential, calibration: Tensor) throws -> Sequential {
    network.setTraining(false)
    defer { network.setTraining(true) }
    var current = calibration
    var layers: [any Layer] = []
    for (index, layer) in network.layers.enumerated() {
      switch layer {
      case let kernel as Dense:
        layers.append(try quantized(kernel, .dense, kernel.activation, input: current, index))
      case let kernel as Conv2D:
        let operation = QuantizedKernel.Operation.convolution(
          stride: kernel.stride, padding: kernel.padding)
        layers.append(try quantized(kernel, operation, kernel.activation, input: current, index))
      case is MaxPool2D, is Flatten, is Reshape, is Dropout:
        layers.append(layer)
      default:
        throw Unsupported(
          description:
            "layer \(index) (\(type(of: layer))) has no int8 form here: int8 export takes networks of dense, convolution, pooling and flatten layers (the mlp and cnn)"
        )
      }
      current = withoutGradient { layer(current) }
    }
    return Sequential(layers)
  }

  /// One layer quantised: its weight per output channel, its input scale from `input`.
  static func quantized(
    _ kernel: any KernelLayer, _ operation: QuantizedKernel.Operation,
    _ activation: ActivationFunction, input: Tensor, _ index: Int
  ) throws -> QuantizedKernel {
    let (smallest, largest) = input.scalars.reduce((Float.infinity, -Float.infinity)) {
      (min($0.0, $1), max($0.1, $1))
    }
    guard smallest >= 0, largest.isFinite else {
      throw Unsupported(
        description:
          "layer \(index)'s input ranges over \(smallest)…\(largest) on the calibration images: int8 here takes non-negative inputs (pixels, ReLU outputs)"
      )
    }
    let (integers, scales) = symmetric(kernel.weight)
    return QuantizedKernel(
      operation: operation, weight: integers, weightScale: scales,
      inputScale: Tensor(largest > 0 ? largest / 255 : 1), bias: kernel.bias?.detached(),
      activation: activation)
  }

  /// Per-output-channel symmetric int8: `scale[c] = max |w[c]| / 127`, `q = round(w / scale)`.
  public static func symmetric(_ weight: Tensor) -> (integers: Tensor, scales: Tensor) {
    let channels = weight.shape[0]
    let size = weight.count / channels
    var integers = [Float](repeating: 0, count: weight.count)
    var scales = [Float](repeating: 1, count: channels)
    let values = weight.scalars
    for channel in 0..<channels {
      let range = channel * size..<(channel + 1) * size
      let largest = values[range].reduce(0) { max($0, abs($1)) }
      if largest > 0 { scales[channel] = largest / 127 }
      for i in range {
        integers[i] = min(max((values[i] / scales[channel]).rounded(.toNearestOrEven), -127), 127)
      }
    }
    return (Tensor(shape: weight.shape, scalars: integers), Tensor(scales))
  }

  /// The checkpoint of a quantised network: its layers' tensors, the integer weights as `I8`,
  /// and `metadata` with the ``marker``.
  public static func checkpoint(of network: Sequential, metadata: [String: String])
    -> SafeTensors.Contents
  {
    var types: [String: SafeTensors.ElementType] = [:]
    for (index, layer) in network.layers.enumerated() where layer is QuantizedKernel {
      types["layers.\(index).weight"] = .int8
    }
    var metadata = metadata
    metadata[marker.key] = marker.value
    return SafeTensors.Contents(
      tensors: network.namedState.map { ($0.name, $0.tensor.detached()) }, metadata: metadata,
      elementTypes: types)
  }

  /// Whether `contents` is an int8 checkpoint.
  public static func isQuantized(_ contents: SafeTensors.Contents) -> Bool {
    contents.metadata[marker.key] == marker.value
  }

  /// The quantised network an int8 checkpoint holds, built on `skeleton` (the float network of
  /// the same architecture, whose kernels it replaces).
  /// - Throws: ``CheckpointMismatch`` when a tensor is missing, of another shape or type, or out
  ///   of range (a weight outside −127…127, a scale not positive and finite).
  public static func network(
    from contents: SafeTensors.Contents, skeleton: Sequential, source: String
  ) throws -> Sequential {
    var layers: [any Layer] = []
    for (index, layer) in skeleton.layers.enumerated() {
      let prefix = "layers.\(index)"
      let loaded = Loaded(contents: contents, source: source)
      switch layer {
      case let kernel as Dense:
        layers.append(try loaded.kernel(prefix, like: kernel, .dense, kernel.activation))
      case let kernel as Conv2D:
        layers.append(
          try loaded.kernel(
            prefix, like: kernel, .convolution(stride: kernel.stride, padding: kernel.padding),
            kernel.activation))
      default:
        layers.append(layer)
      }
    }
    return Sequential(layers)
  }

  /// An int8 checkpoint's tensors, checked as they are read.
  struct Loaded {
    let contents: SafeTensors.Contents
    let source: String

    func kernel(
      _ prefix: String, like kernel: any KernelLayer, _ operation: QuantizedKernel.Operation,
      _ activation: ActivationFunction
    ) throws -> QuantizedKernel {
      let weight = try tensor("\(prefix).weight", shape: kernel.weight.shape)
      guard contents.elementType(of: "\(prefix).weight") == .int8,
        weight.scalars.allSatisfy({ abs($0) <= 127 })
      else {
        throw CheckpointMismatch(
          description: "\(source): '\(prefix).weight' must hold I8 integers in −127…127")
      }
      let weightScale = try scales("\(prefix).weight_scale", shape: [kernel.weight.shape[0]])
      let inputScale = try scales("\(prefix).input_scale", shape: [])
      let bias = try kernel.bias.map { try tensor("\(prefix).bias", shape: $0.shape) }
      if let bias, !bias.scalars.allSatisfy(\.isFinite) {
        throw CheckpointMismatch(
          description:
            "\(source): '\(prefix).bias' holds a value that is not finite: the file is damaged")
      }
      return QuantizedKernel(
        operation: operation, weight: weight, weightScale: weightScale, inputScale: inputScale,
        bias: bias, activation: activation)
    }

    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
      guard let stored = contents[name] else {
        throw CheckpointMismatch(description: "\(source) has no tensor '\(name)'")
      }
      guard stored.shape == shape else {
        throw CheckpointMismatch(
          description: "\(source): '\(name)' has shape \(stored.shape), the model expects \(shape)")
      }
      return stored
    }

    func scales(_ name: String, shape: [Int]) throws -> Tensor {
      let scales = try tensor(name, shape: shape)
      // Normal, not subnormal: a value divided by a subnormal scale overflows to infinity.
      guard scales.scalars.allSatisfy({ $0 > 0 && $0.isNormal && $0 <= 1e30 }) else {
        throw CheckpointMismatch(
          description: "\(source): '\(name)' must hold positive, finite scales from 1e-38 to 1e30")
      }
      return scales
    }
  }
}

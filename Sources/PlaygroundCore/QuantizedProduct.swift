import CDNNL
import PlaygroundKernels

/// A dense layer's or convolution's integer product with its epilogue fused — per-channel
/// scale, bias, optional ReLU — from unsigned 8-bit inputs to floats, or, given the next
/// layer's input scale, straight to that layer's unsigned 8-bit input (rounded half to even and
/// saturated: a ReLU for free). With ``quantize(_:scale:)`` before it, the whole of a quantised
/// layer.
///
/// On oneDNN with 8-bit dot products, one primitive per input shape does it all (output scales
/// and a ReLU post-op as attributes); elsewhere ``IntegerProducts`` gives the exact sums and
/// the epilogue follows in Swift.
public final class QuantizedProduct: @unchecked Sendable {
  /// The product's form.
  public enum Operation: Equatable, Sendable {
    /// `x · Wᵀ`, `x` `[batch, in]`, `W` `[out, in]`.
    case dense
    /// Cross-correlation of NCHW images with `W` `[out, in, kh, kw]`.
    case convolution(stride: Int, padding: Int)
  }

  let operation: Operation
  let weights: [Int8]
  let weightShape: [Int]
  let scales: [Float]
  let bias: [Float]
  let relu: Bool
  /// The next layer's input scale, when the output is its 8-bit input.
  let outputScale: Float?
  /// `bias[c] / scales[c]`: oneDNN 2.x adds the bias to the integer sums before its output
  /// scales (`scale · (Σ + bias)`), where the layer means `scale · Σ + bias`.
  let unscaledBias: [Float]
  /// oneDNN's fused steps per shape; read and written only under its lock.
  var steps: [Threaded<IntegerProductKey>: OneDNNStep?] = [:]

  /// - Parameters:
  ///   - scales: per output channel, the factor from integer sums to floats (input scale ×
  ///     weight scale).
  ///   - bias: per output channel, or `nil`.
  ///   - outputScale: the next layer's input scale, for ``requantized(_:shape:)``.
  public init(
    _ operation: Operation, weights: [Int8], weightShape: [Int], scales: [Float], bias: [Float]?,
    relu: Bool, outputScale: Float? = nil
  ) {
    precondition(scales.count == weightShape[0] && weights.count == weightShape.reduce(1, *))
    self.operation = operation
    self.weights = weights
    self.weightShape = weightShape
    self.scales = scales
    self.relu = relu
    self.outputScale = outputScale
    self.bias = bias ?? [Float](repeating: 0, count: weightShape[0])
    unscaledBias = zip(self.bias, scales).map { $0 / $1 }
  }

  /// The layer's float outputs for quantised `input` of `shape` (`[batch, in]` or NCHW).
  /// - Precondition: made without `outputScale`.
  public func callAsFunction(_ input: [UInt8], shape: [Int]) -> (output: [Float], shape: [Int]) {
    precondition(outputScale == nil)
    let (key, outputShape) = self.key(shape)
    if let output: [Float] = onOneDNN(input, key, count: outputShape.reduce(1, *)) {
      return (output, outputShape)
    }
    let output = epilogue(sums(input, shape), outputShape) { value in
      relu ? max(value, 0) : value
    }
    return (output, outputShape)
  }

  /// The next layer's quantised input: `clamp(round((scale · Σ + bias) / outputScale), 0, 255)`.
  /// - Precondition: made with `outputScale`.
  public func requantized(_ input: [UInt8], shape: [Int]) -> (output: [UInt8], shape: [Int]) {
    let next = outputScale!
    let (key, outputShape) = self.key(shape)
    if let output: [UInt8] = onOneDNN(input, key, count: outputShape.reduce(1, *)) {
      return (output, outputShape)
    }
    let output = epilogue(sums(input, shape), outputShape) { value in
      UInt8(min(max((value / next).rounded(.toNearestOrEven), 0), 255))
    }
    return (output, outputShape)
  }

  private func key(_ shape: [Int]) -> (IntegerProductKey, [Int]) {
    switch operation {
    case .dense:
      precondition(shape.count == 2 && shape[1] == weightShape[1], "dense input \(shape)")
      return (.matrix(m: shape[0], k: shape[1], n: weightShape[0]), [shape[0], weightShape[0]])
    case .convolution(let stride, let padding):
      precondition(shape.count == 4 && shape[1] == weightShape[1], "convolution input \(shape)")
      let key = ConvolutionKey(
        convolving: shape, weightShape: weightShape, stride: stride, padding: padding,
        hasBias: true)
      return (.convolution(key), key.output)
    }
  }

  private func sums(_ input: [UInt8], _ shape: [Int]) -> [Int32] {
    switch operation {
    case .dense:
      return IntegerProducts.matrixProduct(
        a: input, m: shape[0], k: shape[1], b: weights, n: weightShape[0])
    case .convolution(let stride, let padding):
      return IntegerProducts.convolution(
        input: input, shape: shape, weight: weights, weightShape: weightShape, stride: stride,
        padding: padding
      ).sums
    }
  }

  /// `finish(scale[c] · Σ + bias[c])` for every sum.
  private func epilogue<T>(_ sums: [Int32], _ shape: [Int], _ finish: (Float) -> T) -> [T] {
    let plane = shape.dropFirst(2).reduce(1, *)
    let channels = weightShape[0]
    return sums.indices.map { index in
      let channel = index / plane % channels
      return finish(Float(sums[index]) * scales[channel] + bias[channel])
    }
  }

  /// What oneDNN does to the exact sums: the per-channel scales (divided by the next layer's
  /// input scale when it writes that layer's bytes), the ReLU (implied by saturating to 0…255
  /// when it does), floats or bytes out.
  var epilogue: IntegerEpilogue {
    IntegerEpilogue(
      scales: outputScale.map { next in scales.map { $0 / next } } ?? scales,
      relu: relu && outputScale == nil, outputType: outputScale == nil ? dnnl_f32 : dnnl_u8)
  }

  /// The fused product on oneDNN, or `nil` when it is not in use or refuses the shape.
  private func onOneDNN<T>(_ input: [UInt8], _ key: IntegerProductKey, count: Int) -> [T]? {
    let settings = Compute.settings
    guard IntegerProducts.usesOneDNN(settings) else { return nil }
    let library = OneDNN.shared
    let threaded = Threaded(key, threads: settings.threads(forProduct: key.multiplyAdds))
    return library.exclusively(threads: threaded.threads) {
      if steps[threaded] == nil {
        switch key {
        case .convolution(let convolution):
          steps[threaded] = library.makeIntegerConvolution(convolution, epilogue: epilogue)
        case .matrix(let m, let k, let n):
          steps[threaded] = library.makeIntegerMatrixProduct(m: m, k: k, n: n, epilogue: epilogue)
        }
      }
      guard let step = steps[threaded]! else { return nil }
      return [T](unsafeUninitializedCapacity: count) { output, initialized in
        input.withUnsafeBytes { input in
          weights.withUnsafeBytes { weights in
            unscaledBias.withUnsafeBytes { bias in
              step.run(
                [
                  argument(.source): .plain(UnsafeMutableRawPointer(mutating: input.baseAddress!)),
                  argument(.weights): .constant(
                    UnsafeMutableRawPointer(mutating: weights.baseAddress!)),
                  argument(.bias): .constant(
                    UnsafeMutableRawPointer(mutating: bias.baseAddress!)),
                  argument(.destination): .plain(UnsafeMutableRawPointer(output.baseAddress!)),
                ], library: library)
            }
          }
        }
        initialized = count
      }
    }
  }

  /// `clamp(round(x / scale), 0, 255)`, rounding half to even (ONNX's `QuantizeLinear` to uint8
  /// with zero point 0).
  public static func quantize(_ values: [Float], scale: Float) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: values.count) { output, initialized in
      values.withUnsafeBufferPointer { values in
        playground_quantize_u8(values.baseAddress!, output.baseAddress!, values.count, scale)
      }
      initialized = values.count
    }
  }

  /// Max pooling of an NCHW batch of 8-bit values (windows of `size`, moved by `stride`, no
  /// padding): max pooling commutes with quantisation, which never lowers a larger value.
  public static func maxPool(_ values: [UInt8], shape: [Int], size: Int, stride: Int)
    -> (output: [UInt8], shape: [Int])
  {
    let (outHeight, outWidth) = ((shape[2] - size) / stride + 1, (shape[3] - size) / stride + 1)
    let count = shape[0] * shape[1] * outHeight * outWidth
    let output = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
      values.withUnsafeBufferPointer { values in
        playground_max_pool_u8(
          values.baseAddress!, output.baseAddress!, shape[0] * shape[1], shape[2], shape[3], size,
          stride)
      }
      initialized = count
    }
    return (output, [shape[0], shape[1], outHeight, outWidth])
  }
}

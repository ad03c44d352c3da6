import PlaygroundKernels

extension Tensor {
  /// 2-D cross-correlation over an NCHW batch (PyTorch's `conv2d`), as im2col and one GEMM.
  /// - Parameters:
  ///   - weight: `[outChannels, inChannels, kernelHeight, kernelWidth]`.
  ///   - bias: `[outChannels]`, or `nil`.
  ///   - stride: step between output positions, in pixels.
  ///   - padding: zeros added on every side, in pixels.
  ///   - slope: when given, a leaky ReLU of this slope (0: ReLU) follows, as
  ///     `leakyRelu(negativeSlope:)` would; on oneDNN a positive slope runs inside the
  ///     convolution (a post-op), saving a pass over the output, with the same bits.
  /// - Returns: `[batch, outChannels, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1]`.
  public func conv2d(
    weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
    thenLeakyReLU slope: Float? = nil
  ) -> Tensor {
    precondition(
      rank == 4 && weight.rank == 4 && weight.shape[1] == shape[1],
      "conv2d needs input [N, C, H, W] and weight [O, C, kh, kw], got \(shape) and \(weight.shape)")
    precondition(stride >= 1 && padding >= 0, "conv2d needs stride ≥ 1 and padding ≥ 0")
    let geometry = ConvolutionGeometry(
      batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
      kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
    precondition(
      geometry.outHeight >= 1 && geometry.outWidth >= 1,
      "conv2d kernel \(weight.shape[2])×\(weight.shape[3]) does not fit input \(shape) with padding \(padding)"
    )
    let outChannels = weight.shape[0]
    Tensor.checkBias(bias, outChannels, "conv2d")
    if outChannels == 1 && stride == 1 && weight.shape[2] == weight.shape[3] && count > 0 {
      return convolvedToOneChannel(weight: weight, bias: bias, padding: padding)
        .thenLeakyReLU(slope)
    }
    let key = ConvolutionKey(
      operation: .convolution, input: shape,
      output: [geometry.batch, outChannels, geometry.outHeight, geometry.outWidth],
      kernel: [geometry.kernelHeight, geometry.kernelWidth], stride: stride, padding: padding,
      hasBias: bias != nil, leakySlope: slope.flatMap { $0 > 0 ? $0 : nil })
    if let result = onOneDNN(key, weight: weight, bias: bias) {
      return key.leakySlope == nil ? result.thenLeakyReLU(slope) : result
    }
    return im2colConvolution(weight: weight, bias: bias, geometry: geometry).thenLeakyReLU(slope)
  }

  /// ``conv2d(weight:bias:stride:padding:thenLeakyReLU:)`` as im2col and one GEMM.
  private func im2colConvolution(weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry)
    -> Tensor
  {
    let outChannels = weight.shape[0]
    let plane = geometry.outHeight * geometry.outWidth
    let cols = geometry.im2col(scalars)
    // [O, N·L] = W[O, C·kh·kw] · cols
    let product = Tensor.gemm(
      weight.scalars, cols, m: outChannels, n: geometry.positions, k: geometry.patchSize)
    var output = swapLeadingAxes(product, outChannels, geometry.batch, rest: plane)
    if let bias { Tensor.addChannelBias(&output, bias.scalars, plane: plane) }
    let x = self
    let outShape = [geometry.batch, outChannels, geometry.outHeight, geometry.outWidth]
    return .result(
      shape: outShape, scalars: output, inputs: [x, weight] + (bias.map { [$0] } ?? [])
    ) { g in
      let g2d = swapLeadingAxes(g, geometry.batch, outChannels, rest: plane)  // [O, N·L]
      if weight.requiresGrad {
        weight.accumulateGradient(
          Tensor.gemm(
            g2d, cols, m: outChannels, n: geometry.patchSize, k: geometry.positions,
            transposeB: true))
      }
      if let bias, bias.requiresGrad {
        bias.accumulateGradient(Tensor.channelSums(g, channels: outChannels, plane: plane))
      }
      if x.requiresGrad {
        let dCols = Tensor.gemm(
          weight.scalars, g2d, m: geometry.patchSize, n: geometry.positions, k: outChannels,
          transposeA: true)
        x.accumulateGradient(geometry.col2im(dCols))
      }
    }
  }

  /// 2-D transposed convolution over an NCHW batch (PyTorch's `conv_transpose2d`): the adjoint
  /// of ``conv2d(weight:bias:stride:padding:)``, used to upsample.
  /// - Parameters:
  ///   - weight: `[inChannels, outChannels, kernelHeight, kernelWidth]` (PyTorch's layout).
  ///   - bias: `[outChannels]`, or `nil`.
  ///   - stride: upsampling factor, in pixels.
  ///   - padding: removed from every side of the full output, in pixels.
  ///   - outputPadding: added to the bottom and right, to pick among the sizes that a strided
  ///     convolution maps to the same size; less than `stride`.
  /// - Returns: `[batch, outChannels, (H − 1)·s − 2p + kh + op, (W − 1)·s − 2p + kw + op]`.
  public func convTranspose2d(
    weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0
  ) -> Tensor {
    precondition(
      rank == 4 && weight.rank == 4 && weight.shape[0] == shape[1],
      "convTranspose2d needs input [N, C, H, W] and weight [C, O, kh, kw], got \(shape) and \(weight.shape)"
    )
    precondition(
      stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
      "convTranspose2d needs stride ≥ 1, padding ≥ 0 and 0 ≤ outputPadding < stride")
    let (batch, inChannels, height, width) = (shape[0], shape[1], shape[2], shape[3])
    let (outChannels, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
    let outHeight = (height - 1) * stride - 2 * padding + kh + outputPadding
    let outWidth = (width - 1) * stride - 2 * padding + kw + outputPadding
    precondition(outHeight >= 1 && outWidth >= 1, "convTranspose2d output would be empty")
    Tensor.checkBias(bias, outChannels, "convTranspose2d")
    let key = ConvolutionKey(
      operation: .transposed, input: shape, output: [batch, outChannels, outHeight, outWidth],
      kernel: [kh, kw], stride: stride, padding: padding, hasBias: bias != nil)
    if let result = onOneDNN(key, weight: weight, bias: bias) { return result }
    // The convolution whose adjoint this is: output image → input-sized positions.
    let geometry = ConvolutionGeometry(
      batch: batch, channels: outChannels, height: outHeight, width: outWidth, kernelHeight: kh,
      kernelWidth: kw, stride: stride, padding: padding)
    let plane = height * width
    let x2d = swapLeadingAxes(scalars, batch, inChannels, rest: plane)  // [Cin, N·H·W]
    // cols [Cout·kh·kw, N·H·W] = Wᵀ · x2d
    let cols = Tensor.gemm(
      weight.scalars, x2d, m: geometry.patchSize, n: batch * plane, k: inChannels,
      transposeA: true)
    var output = geometry.col2im(cols)
    let outPlane = outHeight * outWidth
    if let bias { Tensor.addChannelBias(&output, bias.scalars, plane: outPlane) }
    let x = self
    return .result(
      shape: [batch, outChannels, outHeight, outWidth], scalars: output,
      inputs: [x, weight] + (bias.map { [$0] } ?? [])
    ) { g in
      let gCols = geometry.im2col(g)  // [Cout·kh·kw, N·H·W]
      if x.requiresGrad {
        let dx2d = Tensor.gemm(
          weight.scalars, gCols, m: inChannels, n: batch * plane, k: geometry.patchSize)
        x.accumulateGradient(swapLeadingAxes(dx2d, inChannels, batch, rest: plane))
      }
      if weight.requiresGrad {
        weight.accumulateGradient(
          Tensor.gemm(
            x2d, gCols, m: inChannels, n: geometry.patchSize, k: batch * plane, transposeB: true))
      }
      if let bias, bias.requiresGrad {
        bias.accumulateGradient(Tensor.channelSums(g, channels: outChannels, plane: outPlane))
      }
    }
  }

  /// This tensor followed by a leaky ReLU of `slope`, or itself when there is none.
  private func thenLeakyReLU(_ slope: Float?) -> Tensor {
    slope.map { leakyRelu(negativeSlope: $0) } ?? self
  }

  /// The convolution `key` on oneDNN, when it is the backend in use and has an implementation
  /// for the shape; otherwise `nil`, and the caller uses im2col. With the key's leaky ReLU, the
  /// output gradient goes back through it from the output's signs (the same as the input's for
  /// a positive slope).
  private func onOneDNN(_ key: ConvolutionKey, weight: Tensor, bias: Tensor?) -> Tensor? {
    let settings = Compute.settings
    guard settings.backend == .onednn,
      let (output, savedInput) = OneDNN.shared.convolutionForward(
        key, input: scalars, weight: weight.scalars, bias: bias?.scalars,
        // Only a weight gradient reads it: inference (scoring) copies nothing.
        keepInput: weight.requiresGrad && GradientTape.isRecording,
        threads: settings.threads(forProduct: key.multiplyAdds))
    else { return nil }
    let x = self
    return .result(
      shape: key.output, scalars: output, inputs: [x, weight] + (bias.map { [$0] } ?? [])
    ) { g in
      let g = key.leakySlope.map { Tensor.leakyReLUGradient(g, at: output, slope: $0) } ?? g
      let gradients = OneDNN.shared.convolutionBackward(
        key, input: x.scalars, savedInput: savedInput, weight: weight.scalars, outputGradient: g,
        needs: (x.requiresGrad, weight.requiresGrad, bias?.requiresGrad ?? false),
        threads: settings.threads(forProduct: key.multiplyAdds))
      if let dx = gradients.input { x.accumulateGradient(dx) }
      if let dw = gradients.weight { weight.accumulateGradient(dw) }
      if let bias, bias.requiresGrad, let db = gradients.bias { bias.accumulateGradient(db) }
    }
  }

  static func checkBias(_ bias: Tensor?, _ channels: Int, _ name: String) {
    if let bias {
      precondition(
        bias.shape == [channels], "\(name) bias must be [\(channels)], got \(bias.shape)")
    }
  }

  /// Adds `bias[c]` to every pixel of channel `c` of an NCHW array.
  static func addChannelBias(_ x: inout [Float], _ bias: [Float], plane: Int) {
    let (planes, channels) = (x.count / Swift.max(1, plane), bias.count)
    x.withUnsafeMutableBufferPointer { x in
      bias.withUnsafeBufferPointer { bias in
        guard let x = x.baseAddress, let bias = bias.baseAddress else { return }
        addChannelBias(x, bias, planes: planes, channels: channels, plane: plane)
      }
    }
  }

  /// Adds `bias[c]` to every pixel of channel `c` of an NCHW array of `planes` planes (N·C) of
  /// `plane` pixels, the planes split across threads.
  static func addChannelBias(
    _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, planes: Int, channels: Int,
    plane: Int
  ) {
    Parallel.forEachChunk(planes, work: planes * plane) {
      playground_add_channel_bias(x, bias, $0.lowerBound, $0.upperBound, channels, plane)
    }
  }

  /// Per-channel sums of an NCHW array.
  static func channelSums(_ x: [Float], channels: Int, plane: Int) -> [Float] {
    var sums = [Float](repeating: 0, count: channels)
    x.withUnsafeBufferPointer { x in
      for start in stride(from: 0, to: x.count, by: plane) {
        var total: Float = 0
        for k in start..<(start + plane) { total += x[k] }
        sums[(start / plane) % channels] += total
      }
    }
    return sums
  }
}

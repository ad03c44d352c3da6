import CDNNL

extension ConvolutionPrimitives {
  /// Creates one shape's primitives: descriptors with the layouts left to oneDNN (`any`), then a
  /// port per argument between the layout it chose and the playground's plain one.
  struct Builder {
    let key: ConvolutionKey
    let library: OneDNN
    /// oneDNN's algorithm for the forward and backward-data primitives (one of
    /// ``ConvolutionKey/algorithms``).
    let algorithm: dnnl_alg_kind_t
    private var api: OneDNN.API { library.api }
    private var isConvolution: Bool { key.operation == .convolution }
    /// The backward-weights primitive's: always direct.
    private var weightsAlgorithm: dnnl_alg_kind_t {
      isConvolution ? dnnl_convolution_direct : dnnl_deconvolution_direct
    }
    /// oneDNN's logical weight dimensions, `[out, in, kh, kw]`, for both operations.
    private var weightDimensions: [Int] { [key.output[1], key.input[1]] + key.kernel }
    /// How PyTorch lays the weight out: `oihw` for a convolution, `iohw` for a transposed one.
    private var weightTag: dnnl_format_tag_t { isConvolution ? dnnl_oihw : dnnl_iohw }
    /// The layout left to oneDNN for an activation of `dimensions`, except with fewer channels
    /// than a vector holds: blocking 1 or 2 channels to 16 would compute on zeros (the digits
    /// going into a discriminator, out of a generator), so those stay NCHW.
    private func activationTag(_ dimensions: [Int]) -> dnnl_format_tag_t {
      dimensions[1] < 8 ? dnnl_nchw : dnnl_format_tag_any
    }
    private var strides: [Int64] { [Int64(key.stride), Int64(key.stride)] }
    private var paddingBefore: [Int64] { [Int64(key.padding), Int64(key.padding)] }
    private var paddingAfter: [Int64] { key.paddingAfter.map(Int64.init) }

    func forward() -> OneDNNStep? {
      var source = descriptor(key.input, activationTag(key.input))
      var weights = descriptor(weightDimensions, dnnl_format_tag_any)
      var bias = descriptor([key.output[1]], dnnl_x)
      var destination = descriptor(key.output, activationTag(key.output))
      var operation = dnnl_convolution_desc_t()
      let status = withOptionalPointer(to: &bias, key.biasInForwardPrimitive) { bias in
        (isConvolution ? api.convolutionForward : api.deconvolutionForward)(
          &operation, dnnl_forward_training, algorithm, &source, &weights, bias, &destination,
          strides, paddingBefore, paddingAfter)
      }
      guard status == dnnl_success else { return nil }
      var ports: [(Int32, dnnl_query_t, [Int], dnnl_format_tag_t, Bool)] = [
        (Int32(DNNL_ARG_SRC), dnnl_query_src_md, key.input, dnnl_nchw, false),
        (Int32(DNNL_ARG_WEIGHTS), dnnl_query_weights_md, weightDimensions, weightTag, false),
        (Int32(DNNL_ARG_DST), dnnl_query_dst_md, key.output, dnnl_nchw, true),
      ]
      if key.biasInForwardPrimitive {
        ports.append((Int32(DNNL_ARG_BIAS), dnnl_query_weights_md, [key.output[1]], dnnl_x, false))
      }
      guard let slope = key.leakySlope else { return step(&operation, hint: nil, ports: ports) }
      guard let attributes = leakyReLUAttributes(slope) else { return nil }
      defer { _ = api.primitiveAttrDestroy(attributes) }
      return step(&operation, hint: nil, ports: ports, attributes: attributes)
    }

    /// The library's attributes (a scratchpad of the playground's) with a leaky ReLU of `slope`
    /// after the operation; the caller destroys them.
    private func leakyReLUAttributes(_ slope: Float) -> dnnl_primitive_attr_t? {
      var attributes: dnnl_primitive_attr_t?
      var postOps: dnnl_post_ops_t?
      guard api.primitiveAttrCreate(&attributes) == dnnl_success, let attributes else {
        return nil
      }
      defer { _ = api.postOpsDestroy(postOps) }
      guard
        api.primitiveAttrSetScratchpadMode(attributes, dnnl_scratchpad_mode_user) == dnnl_success,
        api.postOpsCreate(&postOps) == dnnl_success,
        api.postOpsAppendEltwise(postOps, 1, dnnl_eltwise_relu, slope, 0) == dnnl_success,
        api.primitiveAttrSetPostOps(attributes, postOps) == dnnl_success
      else {
        _ = api.primitiveAttrDestroy(attributes)
        return nil
      }
      return attributes
    }

    func backwardData(hint: dnnl_primitive_desc_t) -> OneDNNStep? {
      var sourceGradient = descriptor(key.input, activationTag(key.input))
      var weights = descriptor(weightDimensions, dnnl_format_tag_any)
      var destinationGradient = descriptor(key.output, activationTag(key.output))
      var operation = dnnl_convolution_desc_t()
      let status = (isConvolution ? api.convolutionBackwardData : api.deconvolutionBackwardData)(
        &operation, algorithm, &sourceGradient, &weights, &destinationGradient, strides,
        paddingBefore, paddingAfter)
      guard status == dnnl_success else { return nil }
      return step(
        &operation, hint: hint,
        ports: [
          (Int32(DNNL_ARG_DIFF_SRC), dnnl_query_diff_src_md, key.input, dnnl_nchw, true),
          (Int32(DNNL_ARG_WEIGHTS), dnnl_query_weights_md, weightDimensions, weightTag, false),
          (Int32(DNNL_ARG_DIFF_DST), dnnl_query_diff_dst_md, key.output, dnnl_nchw, false),
        ])
    }

    func backwardWeights(hint: dnnl_primitive_desc_t) -> OneDNNStep? {
      var source = descriptor(key.input, activationTag(key.input))
      var weightsGradient = descriptor(weightDimensions, dnnl_format_tag_any)
      var biasGradient = descriptor([key.output[1]], dnnl_x)
      var destinationGradient = descriptor(key.output, activationTag(key.output))
      var operation = dnnl_convolution_desc_t()
      let status = withOptionalPointer(to: &biasGradient, key.hasBias) { bias in
        (isConvolution ? api.convolutionBackwardWeights : api.deconvolutionBackwardWeights)(
          &operation, weightsAlgorithm, &source, &weightsGradient, bias, &destinationGradient,
          strides,
          paddingBefore, paddingAfter)
      }
      guard status == dnnl_success else { return nil }
      var ports: [(Int32, dnnl_query_t, [Int], dnnl_format_tag_t, Bool)] = [
        (Int32(DNNL_ARG_SRC), dnnl_query_src_md, key.input, dnnl_nchw, false),
        (
          Int32(DNNL_ARG_DIFF_WEIGHTS), dnnl_query_diff_weights_md, weightDimensions, weightTag,
          true
        ),
        (Int32(DNNL_ARG_DIFF_DST), dnnl_query_diff_dst_md, key.output, dnnl_nchw, false),
      ]
      if key.hasBias {
        ports.append(
          (Int32(DNNL_ARG_DIFF_BIAS), dnnl_query_diff_weights_md, [key.output[1]], dnnl_x, true))
      }
      return step(&operation, hint: hint, ports: ports)
    }

    /// The step of `operation` with its ports: each `(argument, query, plain dimensions, plain
    /// layout, is an output)`.
    private func step(
      _ operation: inout dnnl_convolution_desc_t, hint: dnnl_primitive_desc_t?,
      ports: [(Int32, dnnl_query_t, [Int], dnnl_format_tag_t, Bool)],
      attributes: dnnl_primitive_attr_t? = nil
    ) -> OneDNNStep? {
      library.makeStep(
        &operation, hint: hint,
        ports: ports.map {
          .init(argument: $0.0, query: $0.1, dimensions: $0.2, layout: $0.3, isOutput: $0.4)
        }, attributes: attributes)
    }

    func descriptor(_ dimensions: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
      library.memoryDescriptor(dimensions, tag)
    }
  }
}

/// Calls `body` with a pointer to `value`, or with `nil` when `present` is false.
private func withOptionalPointer<T, R>(
  to value: inout T, _ present: Bool, _ body: (UnsafePointer<T>?) -> R
) -> R {
  present ? withUnsafePointer(to: &value) { body($0) } : body(nil)
}

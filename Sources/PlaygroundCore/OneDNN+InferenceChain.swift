import CDNNL

extension OneDNN {
  /// The primitive of one ``InferenceChain`` stage from an input of `input` dimensions, now in
  /// layout `previous`, to `output` dimensions, with its operands' reorders and its output's
  /// buffer. `nil` when oneDNN refuses it.
  func link(
    _ stage: InferenceChain.Stage, input: [Int], output: [Int],
    after previous: dnnl_memory_desc_t
  ) -> OneDNNChainPlan.Link? {
    let made: (dnnl_primitive_desc_t, weights: [Int]?)?
    switch stage {
    case .convolution(let weight, let bias, let stride, let padding, let relu):
      made = convolution(
        input: input, output: output, weight: weight.shape, hasBias: bias != nil, stride: stride,
        padding: padding, relu: relu
      ).map { ($0, weight.shape) }
    case .maxPool(let size, let stride):
      made = maxPooling(after: previous, output: output, size: size, stride: stride).map {
        ($0, nil)
      }
    case .dense(let weight, let bias, let relu):
      // A flattened NCHW input is read as it is: the weight `[out, c·h·w]` as `[out, c, h, w]`.
      let shape = [weight.shape[0]] + input.dropFirst()
      made = innerProduct(
        after: previous, output: output, weight: shape, hasBias: bias != nil, relu: relu
      ).map { ($0, shape) }
    case .quantized(let product):
      made = integerProduct(product, input: input, output: output, after: previous)
    }
    guard let (descriptor, weightShape) = made else { return nil }
    guard let primitive = makePrimitive(descriptor) else {
      _ = api.primitiveDescDestroy(descriptor)
      return nil
    }
    let chosen = { (query: dnnl_query_t, index: Int32) in
      self.api.primitiveDescQueryMD(descriptor, query, index)!.pointee
    }
    let (sourceChosen, destinationChosen) = (
      chosen(dnnl_query_src_md, 0), chosen(dnnl_query_dst_md, 0)
    )
    let weightOperand = weightShape.map { shape in
      operand(
        plain: memoryDescriptor(
          shape, shape.count == 4 ? dnnl_oihw : dnnl_ab, stage.takesBytes ? dnnl_s8 : dnnl_f32),
        chosen: chosen(dnnl_query_weights_md, 0), isOutput: false, constant: true)
    }
    let biasOperand =
      !stage.hasBias
      ? nil
      : operand(
        plain: memoryDescriptor([output[1]], dnnl_x), chosen: chosen(dnnl_query_weights_md, 1),
        isOutput: false, constant: true)
    var destinationDescriptor = destinationChosen
    return .init(
      descriptor: descriptor, primitive: primitive,
      source: operand(plain: previous, chosen: sourceChosen, isOutput: false),
      destination: destinationChosen,
      destinationBuffer: BlockedCopy(bytes: api.memoryDescGetSize(&destinationDescriptor)),
      weights: weightOperand, bias: biasOperand)
  }

  /// A convolution in 16-channel blocks from input to output (oneDNN's direct jit kernels,
  /// measured faster here than its channels-last choice), read straight from NCHW where there
  /// are few input channels (an image).
  private func convolution(
    input: [Int], output: [Int], weight: [Int], hasBias: Bool, stride: Int, padding: Int,
    relu: Bool
  ) -> dnnl_primitive_desc_t? {
    var source = memoryDescriptor(input, input[1] <= 4 ? dnnl_nchw : dnnl_nChw16c)
    var destination = memoryDescriptor(output, dnnl_nChw16c)
    var weights = memoryDescriptor(weight, dnnl_format_tag_any)
    var bias = memoryDescriptor([weight[0]], dnnl_x)
    var operation = dnnl_convolution_desc_t()
    let strides = [Int64(stride), Int64(stride)]
    let paddings = [Int64(padding), Int64(padding)]
    let status = withUnsafePointer(to: &bias) { bias in
      api.convolutionForward(
        &operation, dnnl_forward_inference, dnnl_convolution_direct, &source, &weights,
        hasBias ? bias : nil, &destination, strides, paddings, paddings)
    }
    return status == dnnl_success ? primitiveDescriptor(&operation, relu: relu) : nil
  }

  /// Max pooling of the activation as it comes (floats or bytes); its output keeps that layout.
  private func maxPooling(
    after previous: dnnl_memory_desc_t, output: [Int], size: Int, stride: Int
  ) -> dnnl_primitive_desc_t? {
    var source = previous
    var destination = memoryDescriptor(output, dnnl_format_tag_any, previous.data_type)
    var operation = dnnl_pooling_desc_t()
    let status = api.poolingForward(
      &operation, dnnl_forward_inference, dnnl_pooling_max, &source, &destination,
      [Int64(stride), Int64(stride)], [Int64(size), Int64(size)], [0, 0], [0, 0])
    return status == dnnl_success ? primitiveDescriptor(&operation, relu: false) : nil
  }

  /// A dense layer reading the activation in its layout (blocked, when it follows a
  /// convolution), its weights in the layout oneDNN picks for that.
  private func innerProduct(
    after previous: dnnl_memory_desc_t, output: [Int], weight: [Int], hasBias: Bool, relu: Bool
  ) -> dnnl_primitive_desc_t? {
    var source = previous
    var destination = memoryDescriptor(output, dnnl_format_tag_any)
    var weights = memoryDescriptor(weight, dnnl_format_tag_any)
    var bias = memoryDescriptor([weight[0]], dnnl_x)
    var operation = dnnl_inner_product_desc_t()
    let status = withUnsafePointer(to: &bias) { bias in
      api.innerProductForward(
        &operation, dnnl_forward_inference, &source, &weights, hasBias ? bias : nil,
        &destination)
    }
    return status == dnnl_success ? primitiveDescriptor(&operation, relu: relu) : nil
  }

  /// An int8 layer: unsigned 8-bit activations in the layout oneDNN picks (channels last), its
  /// signed 8-bit weights, the epilogue as output scales and a ReLU post-op; bytes or floats out.
  /// A dense layer reads its input as it comes, as ``innerProduct(after:output:weight:hasBias:relu:)``.
  private func integerProduct(
    _ product: QuantizedProduct, input: [Int], output: [Int], after previous: dnnl_memory_desc_t
  ) -> (dnnl_primitive_desc_t, weights: [Int]?)? {
    let epilogue = product.epilogue
    var destination = memoryDescriptor(output, dnnl_format_tag_any, epilogue.outputType)
    var bias = memoryDescriptor([output[1]], dnnl_x)
    let shape: [Int]
    let status: dnnl_status_t
    var convolution = dnnl_convolution_desc_t()
    var innerProduct = dnnl_inner_product_desc_t()
    switch product.operation {
    case .convolution(let stride, let padding):
      shape = product.weightShape
      var source = memoryDescriptor(input, dnnl_format_tag_any, dnnl_u8)
      var weights = memoryDescriptor(shape, dnnl_format_tag_any, dnnl_s8)
      let (strides, paddings) = ([Int64(stride), Int64(stride)], [Int64(padding), Int64(padding)])
      status = api.convolutionForward(
        &convolution, dnnl_forward_inference, dnnl_convolution_direct, &source, &weights, &bias,
        &destination, strides, paddings, paddings)
    case .dense:
      shape = [product.weightShape[0]] + input.dropFirst()
      var source = previous
      var weights = memoryDescriptor(shape, dnnl_format_tag_any, dnnl_s8)
      status = api.innerProductForward(
        &innerProduct, dnnl_forward_inference, &source, &weights, &bias, &destination)
    }
    guard status == dnnl_success else { return nil }
    let descriptor: dnnl_primitive_desc_t? = withAttributes(epilogue) { attributes in
      var descriptor: dnnl_primitive_desc_t?
      let created =
        if case .dense = product.operation {
          api.primitiveDescCreate(&descriptor, &innerProduct, attributes, engine, nil)
        } else {
          api.primitiveDescCreate(&descriptor, &convolution, attributes, engine, nil)
        }
      return created == dnnl_success ? descriptor : nil
    }
    return descriptor.map { ($0, shape) }
  }

  /// An operand between a caller's layout and a primitive's, with its reorder and buffer where
  /// they differ; a `constant` one (weights) remembers what it last reordered.
  func operand(
    plain: dnnl_memory_desc_t, chosen: dnnl_memory_desc_t, isOutput: Bool,
    constant: Bool = false
  ) -> OneDNNChainPlan.Operand {
    var (plain, chosen) = (plain, chosen)
    let reorder =
      isOutput ? self.reorder(from: chosen, to: plain) : self.reorder(from: plain, to: chosen)
    let reordered = reorder != nil && !isOutput
    return .init(
      plain: plain, chosen: chosen, reorder: reorder,
      buffer: reordered ? BlockedCopy(bytes: api.memoryDescGetSize(&chosen)) : nil,
      reordered: reordered && constant
        ? OneDNNChainPlan.ReorderedBytes(bytes: api.memoryDescGetSize(&plain)) : nil)
  }

  /// Releases what a link made.
  func destroy(_ link: OneDNNChainPlan.Link) {
    for operand in [link.source, link.weights, link.bias].compactMap({ $0 }) {
      if let reorder = operand.reorder { _ = api.primitiveDestroy(reorder.handle) }
    }
    _ = api.primitiveDestroy(link.primitive.handle)
    _ = api.primitiveDescDestroy(link.descriptor)
  }

  /// The primitive descriptor of an initialised operation with the library's attributes, or with
  /// a ReLU post-op (and a user scratchpad) when `relu`.
  private func primitiveDescriptor<Operation>(_ operation: inout Operation, relu: Bool)
    -> dnnl_primitive_desc_t?
  {
    var attributes = self.attributes
    var owned: dnnl_primitive_attr_t?
    if relu {
      check(api.primitiveAttrCreate(&owned), "primitive_attr_create")
      check(
        api.primitiveAttrSetScratchpadMode(owned, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
      var postOps: dnnl_post_ops_t?
      check(api.postOpsCreate(&postOps), "post_ops_create")
      defer { _ = api.postOpsDestroy(postOps) }
      check(api.postOpsAppendEltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "append_eltwise")
      check(api.primitiveAttrSetPostOps(owned, postOps), "set_post_ops")
      attributes = owned!
    }
    defer { if owned != nil { _ = api.primitiveAttrDestroy(owned) } }
    var descriptor: dnnl_primitive_desc_t?
    guard api.primitiveDescCreate(&descriptor, &operation, attributes, engine, nil) == dnnl_success
    else { return nil }
    return descriptor
  }
}

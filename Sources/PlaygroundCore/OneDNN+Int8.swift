import CDNNL

/// The shape of an integer product: a convolution, or a matrix product `[m, k] · [k, n]`.
enum IntegerProductKey: Hashable {
  case convolution(ConvolutionKey)
  case matrix(m: Int, k: Int, n: Int)

  /// The multiply-adds of one product.
  var multiplyAdds: Int {
    switch self {
    case .convolution(let key): key.multiplyAdds
    case .matrix(let m, let k, let n): m * k * n
    }
  }
}

extension OneDNN {
  /// Whether the instruction set oneDNN uses has 8-bit dot products (AVX-512 VNNI or AVX-VNNI).
  /// Without them its integer kernels add pairs of products in 16 bits, which saturate (2 · 255
  /// · 127 > 32,767), so the playground then computes integer products its exact other way.
  var hasIntegerDotProducts: Bool {
    // The bits avx512_core_vnni adds to avx512_core, and avx2_vnni to avx2.
    let vnni =
      (dnnl_cpu_isa_avx512_core_vnni.rawValue ^ dnnl_cpu_isa_avx512_core.rawValue)
      | (dnnl_cpu_isa_avx2_vnni.rawValue ^ dnnl_cpu_isa_avx2.rawValue)
    return api.effectiveISA().rawValue & vnni != 0
  }

  /// A convolution of unsigned 8-bit activations with signed 8-bit weights, accumulated exactly
  /// in 32-bit integers (`u8 × s8 → s32`, AVX-512 VNNI's `vpdpbusd` where the CPU has it).
  ///
  /// `input` is NCHW, `weight` PyTorch's `[out, in, kh, kw]`; the result is NCHW. `nil` when
  /// oneDNN has no integer implementation for the shape.
  func integerConvolution(
    _ key: ConvolutionKey, input: [UInt8], weight: [Int8], threads: Int
  ) -> [Int32]? {
    precondition(key.operation == .convolution && !key.hasBias)
    return exclusively(threads: threads) {
      guard let step = integerStep(.convolution(key)) else { return nil }
      return run(
        step, count: key.output.reduce(1, *), source: input, weights: weight)
    }
  }

  /// `a · bᵀ` for `a` `[m, k]` of unsigned 8-bit values and `b` `[n, k]` of signed ones (a
  /// dense layer's weight as stored), exact in 32-bit integers: `[m, n]`.
  func integerMatrixProduct(
    m: Int, k: Int, n: Int, a: [UInt8], b: [Int8], threads: Int
  ) -> [Int32]? {
    exclusively(threads: threads) {
      guard let step = integerStep(.matrix(m: m, k: k, n: n)) else { return nil }
      return run(step, count: m * n, source: a, weights: b)
    }
  }

  private func run(_ step: OneDNNStep, count: Int, source: [UInt8], weights: [Int8]) -> [Int32] {
    [Int32](unsafeUninitializedCapacity: count) { output, initialized in
      source.withUnsafeBytes { source in
        weights.withUnsafeBytes { weights in
          step.run(
            [
              argument(.source): .plain(UnsafeMutableRawPointer(mutating: source.baseAddress!)),
              argument(.weights): .plain(UnsafeMutableRawPointer(mutating: weights.baseAddress!)),
              argument(.destination): .plain(UnsafeMutableRawPointer(output.baseAddress!)),
            ], library: self)
        }
      }
      initialized = count
    }
  }

  /// The step of one integer product shape, created on first use and kept.
  private func integerStep(_ key: IntegerProductKey) -> OneDNNStep? {
    let threaded = Threaded(key, threads: threads)
    if let cached = integerSteps[threaded] { return cached }
    let created: OneDNNStep?
    switch key {
    case .convolution(let convolution): created = makeIntegerConvolution(convolution)
    case .matrix(let m, let k, let n): created = makeIntegerMatrixProduct(m: m, k: k, n: n)
    }
    integerSteps[threaded] = created
    return created
  }

  /// Activations and weights in the layouts oneDNN picks for integers (channels last, weights
  /// blocked by four input channels), reordered from and to NCHW.
  func makeIntegerConvolution(_ key: ConvolutionKey, epilogue: IntegerEpilogue? = nil)
    -> OneDNNStep?
  {
    let weightDimensions = [key.output[1], key.input[1]] + key.kernel
    var source = memoryDescriptor(key.input, dnnl_format_tag_any, dnnl_u8)
    var weights = memoryDescriptor(weightDimensions, dnnl_format_tag_any, dnnl_s8)
    let outputType = epilogue?.outputType ?? dnnl_s32
    var destination = memoryDescriptor(key.output, dnnl_format_tag_any, outputType)
    var bias = memoryDescriptor([key.output[1]], dnnl_x)
    var operation = dnnl_convolution_desc_t()
    let strides = [Int64(key.stride), Int64(key.stride)]
    let before = [Int64(key.padding), Int64(key.padding)]
    let after = key.paddingAfter.map(Int64.init)
    let status = withUnsafePointer(to: &bias) { bias in
      api.convolutionForward(
        &operation, dnnl_forward_inference, dnnl_convolution_direct, &source, &weights,
        epilogue == nil ? nil : bias, &destination, strides, before, after)
    }
    guard status == dnnl_success else { return nil }
    return withAttributes(epilogue) { attributes in
      makeStep(
        &operation, hint: nil,
        ports: epiloguePorts(epilogue, channels: key.output[1]) + [
          .init(
            argument: argument(.source), query: dnnl_query_src_md, dimensions: key.input,
            layout: dnnl_nchw, type: dnnl_u8, isOutput: false),
          .init(
            argument: argument(.weights), query: dnnl_query_weights_md,
            dimensions: weightDimensions, layout: dnnl_oihw, type: dnnl_s8, isOutput: false),
          .init(
            argument: argument(.destination), query: dnnl_query_dst_md, dimensions: key.output,
            layout: dnnl_nchw, type: outputType, isOutput: true),
        ], attributes: attributes)
    }
  }

  /// A matrix product on the playground's own layouts: `a` row-major, the weight `[n, k]` read
  /// as its transpose (`ba`).
  func makeIntegerMatrixProduct(m: Int, k: Int, n: Int, epilogue: IntegerEpilogue? = nil)
    -> OneDNNStep?
  {
    let outputType = epilogue?.outputType ?? dnnl_s32
    var source = memoryDescriptor([m, k], dnnl_ab, dnnl_u8)
    // A fused product's weights are constant: packed once in the layout oneDNN picks.
    var weights = memoryDescriptor(
      [k, n], epilogue == nil ? dnnl_ba : dnnl_format_tag_any, dnnl_s8)
    var destination = memoryDescriptor([m, n], dnnl_ab, outputType)
    var bias = memoryDescriptor([1, n], dnnl_ab)
    var operation = dnnl_matmul_desc_t()
    let status = withUnsafePointer(to: &bias) { bias in
      api.matmul(&operation, &source, &weights, epilogue == nil ? nil : bias, &destination)
    }
    guard status == dnnl_success else { return nil }
    return withAttributes(epilogue) { attributes in
      makeStep(
        &operation, hint: nil,
        ports: epiloguePorts(epilogue, channels: n, matrix: true) + [
          .init(
            argument: argument(.source), query: dnnl_query_src_md, dimensions: [m, k],
            layout: dnnl_ab, type: dnnl_u8, isOutput: false),
          .init(
            argument: argument(.weights), query: dnnl_query_weights_md, dimensions: [k, n],
            layout: dnnl_ba, type: dnnl_s8, isOutput: false),
          .init(
            argument: argument(.destination), query: dnnl_query_dst_md, dimensions: [m, n],
            layout: dnnl_ab, type: outputType, isOutput: true),
        ], attributes: attributes)
    }
  }

  /// The bias port of a fused product (none without an epilogue).
  private func epiloguePorts(_ epilogue: IntegerEpilogue?, channels: Int, matrix: Bool = false)
    -> [OneDNNStep.PortSpecification]
  {
    guard epilogue != nil else { return [] }
    return [
      .init(
        argument: argument(.bias), query: dnnl_query_weights_md,
        dimensions: matrix ? [1, channels] : [channels], layout: matrix ? dnnl_ab : dnnl_x,
        isOutput: false)
    ]
  }

  /// Calls `body` with attributes carrying `epilogue`'s per-channel output scales and ReLU (and
  /// a user scratchpad), destroyed after; with the library's own without an epilogue.
  func withAttributes<T>(
    _ epilogue: IntegerEpilogue?, _ body: (dnnl_primitive_attr_t?) -> T
  ) -> T {
    guard let epilogue else { return body(nil) }
    var attributes: dnnl_primitive_attr_t?
    check(api.primitiveAttrCreate(&attributes), "primitive_attr_create")
    defer { _ = api.primitiveAttrDestroy(attributes) }
    check(
      api.primitiveAttrSetScratchpadMode(attributes, dnnl_scratchpad_mode_user),
      "set_scratchpad_mode")
    check(
      api.primitiveAttrSetOutputScales(
        attributes, Int64(epilogue.scales.count), 1 << 1, epilogue.scales),
      "set_output_scales")
    if epilogue.relu {
      var postOps: dnnl_post_ops_t?
      check(api.postOpsCreate(&postOps), "post_ops_create")
      defer { _ = api.postOpsDestroy(postOps) }
      check(api.postOpsAppendEltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "append_eltwise")
      check(api.primitiveAttrSetPostOps(attributes, postOps), "set_post_ops")
    }
    return body(attributes)
  }
}

extension OneDNN {
  /// The instruction set oneDNN's kernels use, e.g. `avx512_core_vnni`.
  var isaName: String {
    switch api.effectiveISA() {
    case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
    case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
    case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
    case dnnl_cpu_isa_avx512_core: "avx512_core"
    case dnnl_cpu_isa_avx2_vnni: "avx2_vnni"
    case dnnl_cpu_isa_avx2: "avx2"
    case let other: "isa 0x\(String(other.rawValue, radix: 16))"
    }
  }
}

/// What a fused integer product does to its exact sums, per output channel `c`:
/// `relu?(scales[c] · (Σ + bias[c]))`, in floats (`f32`) or rounded and saturated to 0…255
/// (`u8`).
struct IntegerEpilogue {
  let scales: [Float]
  let relu: Bool
  let outputType: dnnl_data_type_t
}

import CDNNL

/// The shape of an integer product: a convolution, or a matrix product `[m, k] · [k, n]`.
enum IntegerProductKey: Hashable {
  case convolution(ConvolutionKey)
  case matrix(m: Int, k: Int, n: Int)
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
    if let cached = integerSteps[key] { return cached }
    let created: OneDNNStep?
    switch key {
    case .convolution(let convolution): created = makeIntegerConvolution(convolution)
    case .matrix(let m, let k, let n): created = makeIntegerMatrixProduct(m: m, k: k, n: n)
    }
    integerSteps[key] = created
    return created
  }

  /// Activations and weights in the layouts oneDNN picks for integers (channels last, weights
  /// blocked by four input channels), reordered from and to NCHW.
  private func makeIntegerConvolution(_ key: ConvolutionKey) -> OneDNNStep? {
    let weightDimensions = [key.output[1], key.input[1]] + key.kernel
    var source = memoryDescriptor(key.input, dnnl_format_tag_any, dnnl_u8)
    var weights = memoryDescriptor(weightDimensions, dnnl_format_tag_any, dnnl_s8)
    var destination = memoryDescriptor(key.output, dnnl_format_tag_any, dnnl_s32)
    var operation = dnnl_convolution_desc_t()
    let strides = [Int64(key.stride), Int64(key.stride)]
    let before = [Int64(key.padding), Int64(key.padding)]
    let after = key.paddingAfter.map(Int64.init)
    guard
      api.convolutionForward(
        &operation, dnnl_forward_inference, dnnl_convolution_direct, &source, &weights, nil,
        &destination, strides, before, after) == dnnl_success
    else { return nil }
    return makeStep(
      &operation, hint: nil,
      ports: [
        .init(
          argument: argument(.source), query: dnnl_query_src_md, dimensions: key.input,
          layout: dnnl_nchw, type: dnnl_u8, isOutput: false),
        .init(
          argument: argument(.weights), query: dnnl_query_weights_md,
          dimensions: weightDimensions, layout: dnnl_oihw, type: dnnl_s8, isOutput: false),
        .init(
          argument: argument(.destination), query: dnnl_query_dst_md, dimensions: key.output,
          layout: dnnl_nchw, type: dnnl_s32, isOutput: true),
      ])
  }

  /// A matrix product on the playground's own layouts: `a` row-major, the weight `[n, k]` read
  /// as its transpose (`ba`).
  private func makeIntegerMatrixProduct(m: Int, k: Int, n: Int) -> OneDNNStep? {
    var source = memoryDescriptor([m, k], dnnl_ab, dnnl_u8)
    var weights = memoryDescriptor([k, n], dnnl_ba, dnnl_s8)
    var destination = memoryDescriptor([m, n], dnnl_ab, dnnl_s32)
    var operation = dnnl_matmul_desc_t()
    guard api.matmul(&operation, &source, &weights, nil, &destination) == dnnl_success else {
      return nil
    }
    return makeStep(
      &operation, hint: nil,
      ports: [
        .init(
          argument: argument(.source), query: dnnl_query_src_md, dimensions: [m, k],
          layout: dnnl_ab, type: dnnl_u8, isOutput: false),
        .init(
          argument: argument(.weights), query: dnnl_query_weights_md, dimensions: [k, n],
          layout: dnnl_ba, type: dnnl_s8, isOutput: false),
        .init(
          argument: argument(.destination), query: dnnl_query_dst_md, dimensions: [m, n],
          layout: dnnl_ab, type: dnnl_s32, isOutput: true),
      ])
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

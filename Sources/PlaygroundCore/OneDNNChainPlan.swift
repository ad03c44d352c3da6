import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// oneDNN's primitives for one input shape of an ``InferenceChain``: each stage's primitive in
/// the layouts it chose, the reorders where one stage's output layout is not the next one's
/// input layout, and the buffers of every intermediate activation, made once and kept.
///
/// Used only under ``OneDNN``'s lock.
final class OneDNNChainPlan {
  /// An argument whose caller-side layout may differ from the primitive's.
  struct Operand {
    var plain: dnnl_memory_desc_t
    var chosen: dnnl_memory_desc_t
    /// Plain → chosen for an input, chosen → plain for the output; `nil` when they are the same.
    let reorder: OneDNNPrimitive?
    /// The chosen layout's copy, when there is a reorder.
    let buffer: BlockedCopy?
    /// For weights and biases: the plain bytes last reordered into ``buffer``, so that a call
    /// with unchanged weights skips their reorder.
    let reordered: ReorderedBytes?
  }

  /// A copy of the plain bytes an operand's buffer was last reordered from.
  final class ReorderedBytes {
    let copy: BlockedCopy
    let bytes: Int
    var isValid = false

    init(bytes: Int) {
      self.bytes = bytes
      copy = BlockedCopy(bytes: bytes)
    }

    /// Whether `pointer` holds the bytes last reordered; if not, they are kept as the new ones.
    func matches(_ pointer: UnsafeRawPointer) -> Bool {
      if isValid && memcmp(copy.pointer, pointer, bytes) == 0 { return true }
      copy.pointer.copyMemory(from: pointer, byteCount: bytes)
      isValid = true
      return false
    }
  }

  /// One stage's primitive.
  struct Link {
    let descriptor: dnnl_primitive_desc_t
    let primitive: OneDNNPrimitive
    /// From the previous stage's output (or the chain's input) to this primitive's source.
    let source: Operand
    let destination: dnnl_memory_desc_t
    let destinationBuffer: BlockedCopy
    let weights: Operand?
    let bias: Operand?
  }

  let library: OneDNN
  let links: [Link]
  /// The last destination → the plain `[batch, out]` or NCHW output.
  let output: Operand
  let outputCount: Int

  /// The plan of `stages` for the input and output `shapes` of ``InferenceChain/shapes(of:input:)``;
  /// `nil` when oneDNN refuses a stage.
  init?(stages: [InferenceChain.Stage], shapes: [[Int]], library: OneDNN) {
    self.library = library
    var current = library.memoryDescriptor(
      shapes[0], Self.plainLayout(shapes[0]), stages[0].takesBytes ? dnnl_u8 : dnnl_f32)
    var links: [Link] = []
    for (index, stage) in stages.enumerated() {
      guard
        let link = library.link(
          stage, input: shapes[index], output: shapes[index + 1], after: current)
      else {
        for made in links { library.destroy(made) }
        return nil
      }
      links.append(link)
      current = link.destination
    }
    // The output is floats: an int8 chain ends with a layer that gives them.
    guard current.data_type == dnnl_f32 else {
      for made in links { library.destroy(made) }
      return nil
    }
    let last = shapes.last!
    self.links = links
    output = library.operand(
      plain: library.memoryDescriptor(last, Self.plainLayout(last)), chosen: current,
      isOutput: true)
    outputCount = last.reduce(1, *)
  }

  deinit {
    for link in links { library.destroy(link) }
    if let reorder = output.reorder { _ = library.api.primitiveDestroy(reorder.handle) }
  }

  static func plainLayout(_ shape: [Int]) -> dnnl_format_tag_t {
    shape.count == 4 ? dnnl_nchw : dnnl_ab
  }

  /// The chain's output for the plain `input` of the plan's shape (floats, or bytes for an int8
  /// chain); `stages` give the weights.
  func run(_ input: UnsafeRawPointer, stages: [InferenceChain.Stage]) -> [Float] {
    [Float](unsafeUninitializedCapacity: outputCount) { result, initialized in
      var memories = OneDNNMemories(library: library)
      defer { memories.destroy() }
      var previous = UnsafeMutableRawPointer(mutating: input)
      for (link, stage) in zip(links, stages) {
        execute(link, stage, from: previous, memories: &memories)
        previous = link.destinationBuffer.pointer
      }
      var (plain, chosen) = (output.plain, output.chosen)
      if let reorder = output.reorder {
        memories.execute(
          reorder,
          [
            .init(arg: argumentFrom, memory: memories.make(&chosen, previous)),
            .init(arg: argumentTo, memory: memories.make(&plain, result.baseAddress!)),
          ])
        library.check(library.api.streamWait(library.stream), "stream_wait")
      } else {
        UnsafeMutableRawPointer(result.baseAddress!).copyMemory(
          from: previous, byteCount: outputCount * MemoryLayout<Float>.size)
      }
      initialized = outputCount
    }
  }

  /// Runs one link on the activation at `source` (in the previous link's layout) into its
  /// destination buffer.
  private func execute(
    _ link: Link, _ stage: InferenceChain.Stage, from source: UnsafeMutableRawPointer,
    memories: inout OneDNNMemories
  ) {
    var destination = link.destination
    stage.withParameterBytes { weight, bias in
      var arguments = [
        dnnl_exec_arg_t(arg: argument(.source), memory: memories.input(link.source, at: source)),
        dnnl_exec_arg_t(
          arg: argument(.destination),
          memory: memories.make(&destination, link.destinationBuffer.pointer)),
      ]
      if let operand = link.weights {
        arguments.append(
          .init(
            arg: argument(.weights),
            memory: memories.input(operand, at: .init(mutating: weight.baseAddress!))))
      }
      if let operand = link.bias {
        arguments.append(
          .init(
            arg: argument(.bias),
            memory: memories.input(operand, at: .init(mutating: bias.baseAddress!))))
      }
      memories.execute(link.primitive, arguments)
      library.check(library.api.streamWait(library.stream), "stream_wait")
    }
  }
}

extension InferenceChain.Stage {
  /// Whether the stage takes 8-bit input.
  var takesBytes: Bool {
    if case .quantized = self { true } else { false }
  }

  /// Whether the stage adds a bias (a quantised layer always does, zero where it has none).
  var hasBias: Bool {
    switch self {
    case .convolution(_, let bias, _, _, _), .dense(_, let bias, _): bias != nil
    case .quantized: true
    case .maxPool: false
    }
  }

  /// Calls `body` with the stage's weight and bias bytes in their plain layouts (empty where it
  /// has none).
  func withParameterBytes<T>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> T) -> T {
    switch self {
    case .convolution(let weight, let bias, _, _, _), .dense(let weight, let bias, _):
      weight.scalars.withUnsafeBytes { weight in
        (bias?.scalars ?? []).withUnsafeBytes { body(weight, $0) }
      }
    case .quantized(let product):
      product.weights.withUnsafeBytes { weight in
        product.unscaledBias.withUnsafeBytes { body(weight, $0) }
      }
    case .maxPool:
      body(
        UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0))
    }
  }
}

extension OneDNNMemories {
  /// The memory of `operand` in its chosen layout, for data at `pointer` in its plain layout:
  /// reordered into the operand's buffer first when the layouts differ.
  mutating func input(_ operand: OneDNNChainPlan.Operand, at pointer: UnsafeMutableRawPointer)
    -> dnnl_memory_t
  {
    var (plain, chosen) = (operand.plain, operand.chosen)
    guard let reorder = operand.reorder, let buffer = operand.buffer else {
      return make(&chosen, pointer)
    }
    let target = make(&chosen, buffer.pointer)
    if let reordered = operand.reordered, reordered.matches(pointer) { return target }
    execute(
      reorder,
      [
        .init(arg: argumentFrom, memory: make(&plain, pointer)),
        .init(arg: argumentTo, memory: target),
      ])
    return target
  }
}

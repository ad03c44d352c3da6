import CDNNL

/// One oneDNN primitive with its arguments' ports: a convolution step, an int8 product.
///
/// Used only under ``OneDNN``'s lock, which also makes the kept buffers of the chosen layouts
/// safe to reuse from call to call.
final class OneDNNStep {
  let descriptor: dnnl_primitive_desc_t
  let primitive: OneDNNPrimitive
  var ports: [Int32: Port]

  init(descriptor: dnnl_primitive_desc_t, primitive: OneDNNPrimitive, ports: [Int32: Port]) {
    self.descriptor = descriptor
    self.primitive = primitive
    self.ports = ports
  }

  /// Steps cached by the library live as long as the process; a quantised layer's go with it.
  deinit {
    guard case .success(let library) = OneDNN.loaded else { return }
    for port in ports.values {
      port.buffer?.deallocate()
      if let reorder = port.reorder { _ = library.api.primitiveDestroy(reorder.handle) }
    }
    _ = library.api.primitiveDestroy(primitive.handle)
    _ = library.api.primitiveDescDestroy(descriptor)
  }

  /// What a port is made from: `(argument, query, plain dimensions, plain layout, element type,
  /// is an output)`.
  struct PortSpecification {
    let argument: Int32
    let query: dnnl_query_t
    let dimensions: [Int]
    let layout: dnnl_format_tag_t
    var type: dnnl_data_type_t = dnnl_f32
    let isOutput: Bool
  }

  /// Where one argument's memory lives: the caller's plain array, or the primitive's own layout
  /// reached through a reorder and a kept buffer.
  struct Port {
    var plain: dnnl_memory_desc_t
    var chosen: dnnl_memory_desc_t
    /// Plain → chosen (an input) or chosen → plain (an output); `nil` when they are the same.
    let reorder: OneDNNPrimitive?
    /// Allocated on first use (a shape used only forward, as in scoring, never needs its
    /// backward steps' buffers) and kept.
    var buffer: UnsafeMutableRawPointer?
    let isOutput: Bool
    /// The buffer already holds a ``OneDNNOperand/constant(_:)`` input, reordered.
    var holdsConstant = false
  }

  /// The kept buffer of argument `number` in its chosen layout, allocated on first use.
  func buffer(for number: Int32, library: OneDNN) -> UnsafeMutableRawPointer {
    if let buffer = ports[number]!.buffer { return buffer }
    let buffer = UnsafeMutableRawPointer.allocate(
      byteCount: library.api.memoryDescGetSize(&ports[number]!.chosen), alignment: 64)
    ports[number]!.buffer = buffer
    return buffer
  }
}

/// An argument of a step: the caller's array in the plain layout, or a copy already in the
/// layout the step chose (kept from an earlier step, so that it is not reordered twice).
enum OneDNNOperand {
  case plain(UnsafeMutableRawPointer)
  case chosen(UnsafeMutableRawPointer)
  /// A plain input that never changes for this step (a quantised layer's weights): reordered on
  /// the first call only.
  case constant(UnsafeMutableRawPointer)
}

/// An array in a layout oneDNN chose, owned: a forward pass's reordered input kept for the
/// backward pass, an output gradient reordered once for both backward steps, the scratchpad.
final class BlockedCopy: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer
  init(bytes: Int) { pointer = .allocate(byteCount: max(bytes, 4), alignment: 64) }
  deinit { pointer.deallocate() }
}

extension OneDNNStep {
  /// Runs the step: `arguments` maps oneDNN argument numbers (`DNNL_ARG_SRC` …) to their
  /// operands; plain inputs are reordered in before, plain outputs out after.
  func run(_ arguments: [Int32: OneDNNOperand], library: OneDNN) {
    var memories = OneDNNMemories(library: library)
    defer { memories.destroy() }
    var stepArguments: [dnnl_exec_arg_t] = []
    var afterwards: [(OneDNNPrimitive, dnnl_memory_t, dnnl_memory_t)] = []
    for (number, operand) in arguments {
      guard var port = ports[number] else { continue }
      switch operand {
      case .chosen(let pointer):
        stepArguments.append(.init(arg: number, memory: memories.make(&port.chosen, pointer)))
      case .plain(let pointer), .constant(let pointer):
        let plain = memories.make(&port.plain, pointer)
        guard let reorder = port.reorder else {
          stepArguments.append(.init(arg: number, memory: plain))
          continue
        }
        let chosen = memories.make(&port.chosen, buffer(for: number, library: library))
        stepArguments.append(.init(arg: number, memory: chosen))
        if case .constant = operand {
          if port.holdsConstant { continue }
          ports[number]!.holdsConstant = true
        }
        if port.isOutput {
          afterwards.append((reorder, chosen, plain))
        } else {
          memories.execute(
            reorder,
            [.init(arg: argumentFrom, memory: plain), .init(arg: argumentTo, memory: chosen)])
        }
      }
    }
    memories.execute(primitive, stepArguments)
    for (reorder, from, to) in afterwards {
      memories.execute(
        reorder, [.init(arg: argumentFrom, memory: from), .init(arg: argumentTo, memory: to)])
    }
    library.check(library.api.streamWait(library.stream), "stream_wait")
  }

  /// The input `argument` reordered from the plain array at `pointer` into a copy of its own,
  /// or `nil` when the step takes the plain layout as it is.
  func copy(_ pointer: UnsafeMutableRawPointer, as argument: Int32, library: OneDNN)
    -> BlockedCopy?
  {
    guard var port = ports[argument], let reorder = port.reorder else { return nil }
    var memories = OneDNNMemories(library: library)
    defer { memories.destroy() }
    let copy = BlockedCopy(bytes: library.api.memoryDescGetSize(&port.chosen))
    memories.execute(
      reorder,
      [
        .init(arg: argumentFrom, memory: memories.make(&port.plain, pointer)),
        .init(arg: argumentTo, memory: memories.make(&port.chosen, copy.pointer)),
      ])
    return copy
  }
}

/// The memory objects of one call, destroyed together.
struct OneDNNMemories {
  let library: OneDNN
  private var created: [dnnl_memory_t] = []

  init(library: OneDNN) { self.library = library }

  mutating func make(_ descriptor: inout dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer)
    -> dnnl_memory_t
  {
    var memory: dnnl_memory_t?
    library.check(
      library.api.memoryCreate(&memory, &descriptor, library.engine, pointer), "memory_create")
    created.append(memory!)
    return memory!
  }

  /// Runs `primitive` on `arguments` and the shared scratchpad.
  mutating func execute(_ primitive: OneDNNPrimitive, _ arguments: [dnnl_exec_arg_t]) {
    var arguments = arguments
    if primitive.scratchpadBytes > 0 {
      var descriptor = primitive.scratchpad
      let scratchpad = library.scratchpad(bytes: primitive.scratchpadBytes)
      arguments.append(
        .init(arg: Int32(DNNL_ARG_SCRATCHPAD), memory: make(&descriptor, scratchpad)))
    }
    library.check(
      library.api.primitiveExecute(
        primitive.handle, library.stream, Int32(arguments.count), arguments),
      "primitive_execute")
  }

  func destroy() { for memory in created { _ = library.api.memoryDestroy(memory) } }
}

let argumentFrom = Int32(DNNL_ARG_FROM)
let argumentTo = Int32(DNNL_ARG_TO)

extension OneDNN {
  /// The step of an initialised operation descriptor (a convolution's, a matrix product's) and
  /// its ports; `nil` when oneDNN has no implementation for it.
  /// `attributes` replace the library's (they must ask for a user scratchpad too).
  func makeStep<Operation>(
    _ operation: inout Operation, hint: dnnl_primitive_desc_t?,
    ports: [OneDNNStep.PortSpecification], attributes: dnnl_primitive_attr_t? = nil
  ) -> OneDNNStep? {
    var descriptor: dnnl_primitive_desc_t?
    guard
      api.primitiveDescCreate(
        &descriptor, &operation, attributes ?? self.attributes, engine, hint) == dnnl_success,
      let descriptor, let primitive = makePrimitive(descriptor)
    else { return nil }
    var built: [Int32: OneDNNStep.Port] = [:]
    for port in ports {
      // A bias is the second weights argument (query index 1).
      let isBias =
        port.argument == Int32(DNNL_ARG_BIAS) || port.argument == Int32(DNNL_ARG_DIFF_BIAS)
      guard let chosen = api.primitiveDescQueryMD(descriptor, port.query, isBias ? 1 : 0) else {
        return nil
      }
      built[port.argument] = self.port(
        plain: memoryDescriptor(port.dimensions, port.layout, port.type), chosen: chosen.pointee,
        isOutput: port.isOutput)
    }
    return OneDNNStep(descriptor: descriptor, primitive: primitive, ports: built)
  }

  private func port(plain: dnnl_memory_desc_t, chosen: dnnl_memory_desc_t, isOutput: Bool)
    -> OneDNNStep.Port
  {
    .init(
      plain: plain, chosen: chosen,
      reorder: isOutput ? reorder(from: chosen, to: plain) : reorder(from: plain, to: chosen),
      buffer: nil, isOutput: isOutput)
  }

  /// A reorder from the layout of `source` to that of `destination`, or `nil` when they are the
  /// same.
  func reorder(from source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t)
    -> OneDNNPrimitive?
  {
    var (source, destination) = (source, destination)
    guard api.memoryDescEqual(&source, &destination) == 0 else { return nil }
    var descriptor: dnnl_primitive_desc_t?
    check(
      api.reorderCreate(&descriptor, &source, engine, &destination, engine, attributes),
      "reorder_primitive_desc_create")
    guard let reorder = makePrimitive(descriptor!) else {
      preconditionFailure("oneDNN: primitive_create (reorder) failed")
    }
    _ = api.primitiveDescDestroy(descriptor)  // the primitive keeps what it needs
    return reorder
  }

  /// A memory descriptor of `type` elements (32-bit floats unless told).
  func memoryDescriptor(
    _ dimensions: [Int], _ layout: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32
  ) -> dnnl_memory_desc_t {
    var result = dnnl_memory_desc_t()
    let sizes = dimensions.map(Int64.init)
    check(
      api.memoryDescInitByTag(&result, Int32(sizes.count), sizes, type, layout),
      "memory_desc_init_by_tag \(dimensions)")
    return result
  }
}

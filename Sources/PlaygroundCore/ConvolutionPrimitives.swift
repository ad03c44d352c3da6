import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// The sizes of one convolution or transposed convolution, the key of oneDNN's primitives.
///
/// `input` is the operation's source (`[N, C, H, W]`), `output` its destination; `weight` uses
/// PyTorch's layout: `[out, in, kh, kw]` for a convolution, `[in, out, kh, kw]` for a transposed
/// one.
struct ConvolutionKey: Hashable {
  enum Operation: Hashable { case convolution, transposed }
  let operation: Operation
  let input: [Int]
  let output: [Int]
  let kernel: [Int]
  let stride: Int
  let padding: Int
  let hasBias: Bool

  /// Padding at the bottom and right that makes oneDNN's size rule give `output` exactly (it may
  /// differ from `padding`: a strided window that does not reach the last rows, an output
  /// padding).
  var paddingAfter: [Int] {
    (0..<2).map { axis in
      let (inSize, outSize, k) = (input[2 + axis], output[2 + axis], kernel[axis])
      switch operation {
      case .convolution: return (outSize - 1) * stride + k - inSize - padding
      case .transposed: return (inSize - 1) * stride + k - outSize - padding
      }
    }
  }
}

/// The forward, backward-data and backward-weights primitives of one convolution shape, in the
/// memory layouts oneDNN chooses (blocked by 8 or 16 channels on AVX2 and AVX-512), with the
/// reorders between those and the playground's NCHW arrays.
///
/// Created once per shape and kept by ``OneDNN``; used only under its lock, which also makes the
/// scratch buffers of the blocked layouts safe to reuse from call to call.
final class ConvolutionPrimitives {
  let forward: Step
  let backwardData: Step
  let backwardWeights: Step

  /// `nil` when oneDNN has no implementation for the shape (e.g. negative end padding); the
  /// caller then uses im2col and a matrix product.
  init?(_ key: ConvolutionKey, library: OneDNN) {
    let builder = Builder(key: key, library: library)
    guard let forward = builder.forward(),
      let backwardData = builder.backwardData(hint: forward.descriptor),
      let backwardWeights = builder.backwardWeights(hint: forward.descriptor)
    else { return nil }
    self.forward = forward
    self.backwardData = backwardData
    self.backwardWeights = backwardWeights
  }

  /// One primitive and its arguments' ports.
  final class Step {
    let descriptor: dnnl_primitive_desc_t
    let primitive: OneDNNPrimitive
    var ports: [Int32: Port]

    init(descriptor: dnnl_primitive_desc_t, primitive: OneDNNPrimitive, ports: [Int32: Port]) {
      self.descriptor = descriptor
      self.primitive = primitive
      self.ports = ports
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
  }
}

/// An argument of a step: the caller's array in the plain layout, or a copy already in the
/// layout the step chose (kept from an earlier step, so that it is not reordered twice).
enum ConvolutionOperand {
  case plain(UnsafeMutableRawPointer)
  case chosen(UnsafeMutableRawPointer)
}

/// An array in a layout oneDNN chose, owned: a forward pass's reordered input kept for the
/// backward pass, an output gradient reordered once for both backward steps.
final class BlockedCopy: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer
  init(bytes: Int) { pointer = .allocate(byteCount: max(bytes, 4), alignment: 64) }
  deinit { pointer.deallocate() }
}

extension ConvolutionPrimitives {
  /// Runs `step`: `arguments` maps oneDNN argument numbers (`DNNL_ARG_SRC` …) to their
  /// operands; plain inputs are reordered in before, plain outputs out after.
  func run(_ step: Step, _ arguments: [Int32: ConvolutionOperand], library: OneDNN) {
    var memories = Memories(library: library)
    defer { memories.destroy() }
    var stepArguments: [dnnl_exec_arg_t] = []
    var afterwards: [(OneDNNPrimitive, dnnl_memory_t, dnnl_memory_t)] = []
    for (number, operand) in arguments {
      guard var port = step.ports[number] else { continue }
      switch operand {
      case .chosen(let pointer):
        stepArguments.append(.init(arg: number, memory: memories.make(&port.chosen, pointer)))
      case .plain(let pointer):
        let plain = memories.make(&port.plain, pointer)
        guard let reorder = port.reorder else {
          stepArguments.append(.init(arg: number, memory: plain))
          continue
        }
        let buffer = step.buffer(for: number, library: library)
        let chosen = memories.make(&port.chosen, buffer)
        stepArguments.append(.init(arg: number, memory: chosen))
        if port.isOutput {
          afterwards.append((reorder, chosen, plain))
        } else {
          memories.execute(
            reorder,
            [.init(arg: argumentFrom, memory: plain), .init(arg: argumentTo, memory: chosen)])
        }
      }
    }
    memories.execute(step.primitive, stepArguments)
    for (reorder, from, to) in afterwards {
      memories.execute(
        reorder, [.init(arg: argumentFrom, memory: from), .init(arg: argumentTo, memory: to)])
    }
    library.check(library.api.streamWait(library.stream), "stream_wait")
  }

  /// The input `argument` of `step` reordered from the plain array at `pointer` into a copy of
  /// its own, or `nil` when the step takes the plain layout as it is.
  func copy(
    _ pointer: UnsafeMutableRawPointer, into step: Step, as argument: Int32, library: OneDNN
  )
    -> BlockedCopy?
  {
    guard var port = step.ports[argument], let reorder = port.reorder else { return nil }
    var memories = Memories(library: library)
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

  /// Whether two steps take an argument in the same layout, so that one copy serves both.
  func sameLayout(_ a: Step, _ argumentA: Int32, _ b: Step, _ argumentB: Int32, library: OneDNN)
    -> Bool
  {
    guard var first = a.ports[argumentA]?.chosen, var second = b.ports[argumentB]?.chosen else {
      return false
    }
    return library.api.memoryDescEqual(&first, &second) != 0
  }

  /// The memory objects of one call, destroyed together.
  struct Memories {
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
}

let argumentFrom = Int32(DNNL_ARG_FROM)
let argumentTo = Int32(DNNL_ARG_TO)

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
    let primitive: dnnl_primitive_t
    /// The implementation oneDNN chose, e.g. `jit:avx512_core`.
    let implementation: String
    var ports: [Int32: Port]

    init(
      descriptor: dnnl_primitive_desc_t, primitive: dnnl_primitive_t, ports: [Int32: Port],
      implementation: String
    ) {
      self.descriptor = descriptor
      self.primitive = primitive
      self.ports = ports
      self.implementation = implementation
    }
  }

  /// Where one argument's memory lives: the caller's plain array, or the primitive's own layout
  /// reached through a reorder and a kept buffer.
  struct Port {
    var plain: dnnl_memory_desc_t
    var chosen: dnnl_memory_desc_t
    /// Plain → chosen (an input) or chosen → plain (an output); `nil` when they are the same.
    let reorder: dnnl_primitive_t?
    let buffer: UnsafeMutableRawPointer?
    let isOutput: Bool
  }
}

extension ConvolutionPrimitives {
  /// Runs `step` on the caller's plain arrays: `arguments` maps oneDNN argument numbers
  /// (`DNNL_ARG_SRC` …) to their pointers; inputs are reordered in before, outputs out after.
  func run(_ step: Step, _ arguments: [Int32: UnsafeMutableRawPointer], library: OneDNN) {
    let api = library.api
    var created: [dnnl_memory_t] = []
    defer { for memory in created { _ = api.memoryDestroy(memory) } }
    func memory(_ descriptor: inout dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer)
      -> dnnl_memory_t
    {
      var memory: dnnl_memory_t?
      library.check(
        api.memoryCreate(&memory, &descriptor, library.engine, pointer), "memory_create")
      created.append(memory!)
      return memory!
    }
    func execute(_ primitive: dnnl_primitive_t, _ args: [dnnl_exec_arg_t]) {
      library.check(
        api.primitiveExecute(primitive, library.stream, Int32(args.count), args),
        "primitive_execute")
    }
    var stepArguments: [dnnl_exec_arg_t] = []
    var afterwards: [(dnnl_primitive_t, dnnl_memory_t, dnnl_memory_t)] = []
    for (number, pointer) in arguments {
      guard var port = step.ports[number] else { continue }
      let plain = memory(&port.plain, pointer)
      guard let reorder = port.reorder, let buffer = port.buffer else {
        stepArguments.append(dnnl_exec_arg_t(arg: number, memory: plain))
        continue
      }
      let chosen = memory(&port.chosen, buffer)
      stepArguments.append(dnnl_exec_arg_t(arg: number, memory: chosen))
      if port.isOutput {
        afterwards.append((reorder, chosen, plain))
      } else {
        execute(
          reorder,
          [.init(arg: argumentFrom, memory: plain), .init(arg: argumentTo, memory: chosen)])
      }
    }
    execute(step.primitive, stepArguments)
    for (reorder, from, to) in afterwards {
      execute(
        reorder, [.init(arg: argumentFrom, memory: from), .init(arg: argumentTo, memory: to)])
    }
    library.check(api.streamWait(library.stream), "stream_wait")
  }
}

let argumentFrom = Int32(DNNL_ARG_FROM)
let argumentTo = Int32(DNNL_ARG_TO)

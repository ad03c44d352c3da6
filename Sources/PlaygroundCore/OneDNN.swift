import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// oneDNN, Intel's library of deep-learning kernels (the one PyTorch runs its CPU convolutions
/// on), opened at run time: its convolutions in the memory layouts it chooses, and its matrix
/// product.
///
/// The library is not linked, so that the playground still runs on OpenBLAS alone where it is
/// missing, and so that the OpenMP runtime it brings (GNU libgomp) reads its settings after the
/// playground has chosen them. Every call runs under one lock: primitives, their scratch buffers
/// and the stream are shared, and the cores are busy inside a call anyway.
///
/// Primitives are made with user-managed scratchpads (one buffer here, grown to the largest
/// request): oneDNN's own default keeps a scratchpad per *thread*, so a primitive created on one
/// thread and run on another — as Swift's tasks move between threads — would write through
/// another thread's buffer, or through none.
/// `PLAYGROUND_DNNL_LIBRARY` names another library file.
public final class OneDNN: @unchecked Sendable {
  let api: API
  let engine: dnnl_engine_t
  let stream: dnnl_stream_t
  /// Every primitive's attributes: the scratchpad is ours (``scratchpad(bytes:)``).
  let attributes: dnnl_primitive_attr_t
  /// The library's version, e.g. `2.6.3`.
  public let version: String
  /// The library file that was opened.
  public let libraryPath: String
  private let lock = Lock()
  /// Per shape and thread count; `nil` where oneDNN has no implementation.
  private var convolutions: [Threaded<ConvolutionKey>: ConvolutionPrimitives?] = [:]
  /// Integer products per shape and thread count; `nil` where oneDNN has no implementation.
  var integerSteps: [Threaded<IntegerProductKey>: OneDNNStep?] = [:]
  /// The threads of the call in progress (``exclusively(threads:_:)``): a primitive splits its
  /// work for the thread count it is made with, so primitives are kept per count.
  private(set) var threads = 1
  /// The scratch memory every primitive shares (they run one at a time), grown on demand.
  private var scratch = BlockedCopy(bytes: 0)
  private var scratchBytes = 0

  /// The process's oneDNN, or why it could not be opened.
  public static let loaded: Result<OneDNN, BackendLoadError> = load()

  /// The process's oneDNN.
  /// - Precondition: it was opened (see ``loaded``).
  static var shared: OneDNN {
    switch loaded {
    case .success(let library): return library
    case .failure(let error): fatalError(error.description)
    }
  }

  private init(
    api: API, engine: dnnl_engine_t, stream: dnnl_stream_t, attributes: dnnl_primitive_attr_t,
    libraryPath: String
  ) {
    self.api = api
    self.engine = engine
    self.stream = stream
    self.attributes = attributes
    self.libraryPath = libraryPath
    version =
      api.version().map { "\($0.pointee.major).\($0.pointee.minor).\($0.pointee.patch)" } ?? "?"
  }

  static func load() -> Result<OneDNN, BackendLoadError> {
    _ = AllocatorTuning.applied
    // libgomp's idle threads spin for up to 3·10⁵ iterations before sleeping; a hundredth
    // of that gives the core back to the playground's own loops and OpenBLAS between
    // two calls (DP-SGD's per-example gradients run between oneDNN's: 6% faster than a tenth).
    setenv("GOMP_SPINCOUNT", "3000", 0)
    let opened = SharedLibrary.open(
      "oneDNN", variable: "PLAYGROUND_DNNL_LIBRARY",
      candidates: ["libdnnl.so.2", "libdnnl.so", "libdnnl.2.dylib"], package: "libdnnl-dev")
    return opened.flatMap { library in
      let path = library.path
      guard let api = API(library) else {
        return .failure(
          BackendLoadError(
            description: "\(path) lacks functions of oneDNN 2.6's C API: install libdnnl-dev 2.x"))
      }
      var engine: dnnl_engine_t?
      var stream: dnnl_stream_t?
      var attributes: dnnl_primitive_attr_t?
      guard api.engineCreate(&engine, dnnl_cpu, 0) == dnnl_success, let engine,
        api.streamCreate(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success,
        let stream, api.primitiveAttrCreate(&attributes) == dnnl_success, let attributes,
        api.primitiveAttrSetScratchpadMode(attributes, dnnl_scratchpad_mode_user) == dnnl_success
      else {
        return .failure(BackendLoadError(description: "\(path) could not create a CPU engine"))
      }
      return .success(
        OneDNN(
          api: api, engine: engine, stream: stream, attributes: attributes, libraryPath: path))
    }
  }

  /// Runs `body` alone, with OpenMP set to `threads` threads on the calling thread.
  func exclusively<T>(threads: Int, _ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    api.setThreads?(Int32(threads))
    self.threads = threads
    return try body()
  }

  /// The primitives of one convolution shape, created on first use and kept; `nil` when oneDNN
  /// has no implementation for it.
  /// - Precondition: called inside ``exclusively(threads:_:)``.
  func primitives(for key: ConvolutionKey) -> ConvolutionPrimitives? {
    let threaded = Threaded(key, threads: threads)
    if let cached = convolutions[threaded] { return cached }
    let created = ConvolutionPrimitives(key, library: self)
    convolutions[threaded] = created
    return created
  }

  /// The shared scratch memory, at least `bytes` long.
  /// - Precondition: called inside ``exclusively(threads:_:)``; valid until the next call.
  func scratchpad(bytes: Int) -> UnsafeMutableRawPointer {
    if bytes > scratchBytes {
      scratch = BlockedCopy(bytes: bytes)
      scratchBytes = bytes
    }
    return scratch.pointer
  }

  /// Stops with the call and the status when oneDNN refuses a well-formed request: a bug here,
  /// not a user's error.
  @inline(__always)
  func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
    precondition(status == dnnl_success, "oneDNN: \(call()) failed with status \(status.rawValue)")
  }

  /// `C = alpha · op(A) · op(B) + beta · C` on row-major matrices (`dnnl_sgemm`).
  func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, threads: Int
  ) {
    exclusively(threads: threads) {
      check(
        api.sgemm(
          CChar(UInt8(ascii: transposeA ? "T" : "N")), CChar(UInt8(ascii: transposeB ? "T" : "N")),
          Int64(m), Int64(n), Int64(k), alpha, a, Int64(transposeA ? m : k), b,
          Int64(transposeB ? k : n), beta, c, Int64(n)), "sgemm \(m)×\(k)·\(k)×\(n)")
    }
  }
}

extension OneDNN {
  /// The functions the playground calls, looked up once.
  struct API {
    let engineCreate: playground_dnnl_engine_create_fn
    let streamCreate: playground_dnnl_stream_create_fn
    let streamWait: playground_dnnl_stream_wait_fn
    let memoryDescInitByTag: playground_dnnl_memory_desc_init_by_tag_fn
    let memoryDescEqual: playground_dnnl_memory_desc_equal_fn
    let memoryDescGetSize: playground_dnnl_memory_desc_get_size_fn
    let memoryCreate: playground_dnnl_memory_create_fn
    let memoryDestroy: playground_dnnl_memory_destroy_fn
    let convolutionForward: playground_dnnl_convolution_forward_desc_init_fn
    let convolutionBackwardData: playground_dnnl_convolution_backward_data_desc_init_fn
    let convolutionBackwardWeights: playground_dnnl_convolution_backward_weights_desc_init_fn
    let deconvolutionForward: playground_dnnl_deconvolution_forward_desc_init_fn
    let deconvolutionBackwardData: playground_dnnl_deconvolution_backward_data_desc_init_fn
    let deconvolutionBackwardWeights: playground_dnnl_deconvolution_backward_weights_desc_init_fn
    let matmul: playground_dnnl_matmul_desc_init_fn
    let poolingForward: playground_dnnl_pooling_forward_desc_init_fn
    let innerProductForward: playground_dnnl_inner_product_forward_desc_init_fn
    let primitiveAttrCreate: playground_dnnl_primitive_attr_create_fn
    let primitiveAttrSetScratchpadMode: playground_dnnl_primitive_attr_set_scratchpad_mode_fn
    let primitiveAttrDestroy: playground_dnnl_primitive_attr_destroy_fn
    let primitiveAttrSetOutputScales: playground_dnnl_primitive_attr_set_output_scales_fn
    let primitiveAttrSetPostOps: playground_dnnl_primitive_attr_set_post_ops_fn
    let postOpsCreate: playground_dnnl_post_ops_create_fn
    let postOpsDestroy: playground_dnnl_post_ops_destroy_fn
    let postOpsAppendEltwise: playground_dnnl_post_ops_append_eltwise_fn
    let primitiveDescCreate: playground_dnnl_primitive_desc_create_fn
    let primitiveDescQueryMD: playground_dnnl_primitive_desc_query_md_fn
    let primitiveCreate: playground_dnnl_primitive_create_fn
    let primitiveExecute: playground_dnnl_primitive_execute_fn
    let primitiveDestroy: playground_dnnl_primitive_destroy_fn
    let primitiveDescDestroy: playground_dnnl_primitive_desc_destroy_fn
    let reorderCreate: playground_dnnl_reorder_primitive_desc_create_fn
    let sgemm: playground_dnnl_sgemm_fn
    let version: playground_dnnl_version_fn
    let effectiveISA: playground_dnnl_get_effective_cpu_isa_fn
    /// libgomp's `omp_set_num_threads`, where the library runs on OpenMP.
    let setThreads: playground_omp_set_num_threads_fn?

    init?(_ library: SharedLibrary) {
      func symbol<F>(_ name: String, _ type: F.Type) -> F? { library.function(name, as: type) }
      guard let engineCreate = symbol("dnnl_engine_create", playground_dnnl_engine_create_fn.self),
        let streamCreate = symbol("dnnl_stream_create", playground_dnnl_stream_create_fn.self),
        let streamWait = symbol("dnnl_stream_wait", playground_dnnl_stream_wait_fn.self),
        let memoryDescInitByTag = symbol(
          "dnnl_memory_desc_init_by_tag", playground_dnnl_memory_desc_init_by_tag_fn.self),
        let memoryDescEqual = symbol(
          "dnnl_memory_desc_equal", playground_dnnl_memory_desc_equal_fn.self),
        let memoryDescGetSize = symbol(
          "dnnl_memory_desc_get_size", playground_dnnl_memory_desc_get_size_fn.self),
        let memoryCreate = symbol("dnnl_memory_create", playground_dnnl_memory_create_fn.self),
        let memoryDestroy = symbol("dnnl_memory_destroy", playground_dnnl_memory_destroy_fn.self),
        let convolutionForward = symbol(
          "dnnl_convolution_forward_desc_init",
          playground_dnnl_convolution_forward_desc_init_fn.self),
        let convolutionBackwardData = symbol(
          "dnnl_convolution_backward_data_desc_init",
          playground_dnnl_convolution_backward_data_desc_init_fn.self),
        let convolutionBackwardWeights = symbol(
          "dnnl_convolution_backward_weights_desc_init",
          playground_dnnl_convolution_backward_weights_desc_init_fn.self),
        let deconvolutionForward = symbol(
          "dnnl_deconvolution_forward_desc_init",
          playground_dnnl_deconvolution_forward_desc_init_fn.self),
        let deconvolutionBackwardData = symbol(
          "dnnl_deconvolution_backward_data_desc_init",
          playground_dnnl_deconvolution_backward_data_desc_init_fn.self),
        let deconvolutionBackwardWeights = symbol(
          "dnnl_deconvolution_backward_weights_desc_init",
          playground_dnnl_deconvolution_backward_weights_desc_init_fn.self),
        let matmul = symbol("dnnl_matmul_desc_init", playground_dnnl_matmul_desc_init_fn.self),
        let poolingForward = symbol(
          "dnnl_pooling_forward_desc_init", playground_dnnl_pooling_forward_desc_init_fn.self),
        let innerProductForward = symbol(
          "dnnl_inner_product_forward_desc_init",
          playground_dnnl_inner_product_forward_desc_init_fn.self),
        let primitiveAttrCreate = symbol(
          "dnnl_primitive_attr_create", playground_dnnl_primitive_attr_create_fn.self),
        let primitiveAttrSetScratchpadMode = symbol(
          "dnnl_primitive_attr_set_scratchpad_mode",
          playground_dnnl_primitive_attr_set_scratchpad_mode_fn.self),
        let primitiveAttrDestroy = symbol(
          "dnnl_primitive_attr_destroy", playground_dnnl_primitive_attr_destroy_fn.self),
        let primitiveAttrSetOutputScales = symbol(
          "dnnl_primitive_attr_set_output_scales",
          playground_dnnl_primitive_attr_set_output_scales_fn.self),
        let primitiveAttrSetPostOps = symbol(
          "dnnl_primitive_attr_set_post_ops", playground_dnnl_primitive_attr_set_post_ops_fn.self),
        let postOpsCreate = symbol("dnnl_post_ops_create", playground_dnnl_post_ops_create_fn.self),
        let postOpsDestroy = symbol(
          "dnnl_post_ops_destroy", playground_dnnl_post_ops_destroy_fn.self),
        let postOpsAppendEltwise = symbol(
          "dnnl_post_ops_append_eltwise", playground_dnnl_post_ops_append_eltwise_fn.self),
        let primitiveDescCreate = symbol(
          "dnnl_primitive_desc_create", playground_dnnl_primitive_desc_create_fn.self),
        let primitiveDescQueryMD = symbol(
          "dnnl_primitive_desc_query_md", playground_dnnl_primitive_desc_query_md_fn.self),
        let primitiveCreate = symbol(
          "dnnl_primitive_create", playground_dnnl_primitive_create_fn.self),
        let primitiveDestroy = symbol(
          "dnnl_primitive_destroy", playground_dnnl_primitive_destroy_fn.self),
        let primitiveDescDestroy = symbol(
          "dnnl_primitive_desc_destroy", playground_dnnl_primitive_desc_destroy_fn.self),
        let primitiveExecute = symbol(
          "dnnl_primitive_execute", playground_dnnl_primitive_execute_fn.self),
        let reorderCreate = symbol(
          "dnnl_reorder_primitive_desc_create",
          playground_dnnl_reorder_primitive_desc_create_fn.self),
        let sgemm = symbol("dnnl_sgemm", playground_dnnl_sgemm_fn.self),
        let version = symbol("dnnl_version", playground_dnnl_version_fn.self),
        let effectiveISA = symbol(
          "dnnl_get_effective_cpu_isa", playground_dnnl_get_effective_cpu_isa_fn.self)
      else { return nil }
      self.engineCreate = engineCreate
      self.streamCreate = streamCreate
      self.streamWait = streamWait
      self.memoryDescInitByTag = memoryDescInitByTag
      self.memoryDescEqual = memoryDescEqual
      self.memoryDescGetSize = memoryDescGetSize
      self.memoryCreate = memoryCreate
      self.memoryDestroy = memoryDestroy
      self.convolutionForward = convolutionForward
      self.convolutionBackwardData = convolutionBackwardData
      self.convolutionBackwardWeights = convolutionBackwardWeights
      self.deconvolutionForward = deconvolutionForward
      self.deconvolutionBackwardData = deconvolutionBackwardData
      self.deconvolutionBackwardWeights = deconvolutionBackwardWeights
      self.matmul = matmul
      self.poolingForward = poolingForward
      self.innerProductForward = innerProductForward
      self.primitiveAttrCreate = primitiveAttrCreate
      self.primitiveAttrSetScratchpadMode = primitiveAttrSetScratchpadMode
      self.primitiveAttrDestroy = primitiveAttrDestroy
      self.primitiveAttrSetOutputScales = primitiveAttrSetOutputScales
      self.primitiveAttrSetPostOps = primitiveAttrSetPostOps
      self.postOpsCreate = postOpsCreate
      self.postOpsDestroy = postOpsDestroy
      self.postOpsAppendEltwise = postOpsAppendEltwise
      self.primitiveDescCreate = primitiveDescCreate
      self.primitiveDescQueryMD = primitiveDescQueryMD
      self.primitiveCreate = primitiveCreate
      self.primitiveExecute = primitiveExecute
      self.primitiveDestroy = primitiveDestroy
      self.primitiveDescDestroy = primitiveDescDestroy
      self.reorderCreate = reorderCreate
      self.sgemm = sgemm
      self.version = version
      self.effectiveISA = effectiveISA
      setThreads = symbol("omp_set_num_threads", playground_omp_set_num_threads_fn.self)
    }
  }
}

/// A compute library (oneDNN, OpenBLAS) could not be opened.
public struct BackendLoadError: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// A mutual-exclusion lock (a pthread mutex).
final class Lock: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
  init() { pthread_mutex_init(mutex, nil) }
  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }
  func lock() { pthread_mutex_lock(mutex) }
  func unlock() { pthread_mutex_unlock(mutex) }
}

/// A primitive's shape and the thread count it was made for: oneDNN fixes how a primitive splits
/// its work when it makes it, and runs it on that many threads whatever OpenMP is set to later.
struct Threaded<Key: Hashable>: Hashable {
  let key: Key
  let threads: Int

  init(_ key: Key, threads: Int) {
    self.key = key
    self.threads = threads
  }
}

import COpenBLAS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// OpenBLAS, opened at run time after its CPU core has been chosen.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent CPUs with AVX-512 and falls back to its
/// generic kernels, 3–4× slower. It reads `OPENBLAS_CORETYPE` once, while the library loads, so the
/// library is not linked: the first use sets that variable from the CPU's features (an explicit
/// setting always wins) and only then opens `libopenblas.so.0`. `PLAYGROUND_BLAS_LIBRARY` names
/// another library file.
public struct BLAS: Sendable {
  typealias Sgemm =
    @convention(c) (
      CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Float,
      UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
      UnsafeMutablePointer<Float>?, Int32
    ) -> Void

  let sgemm: Sgemm
  let setNumThreads: playground_openblas_set_num_threads_fn?
  /// The kernel family OpenBLAS runs, e.g. `SkylakeX` or `Haswell`.
  public let coreName: String
  /// Where `OPENBLAS_CORETYPE` came from: `"environment"` or `"chosen from CPU flags"`.
  public let coreSource: String
  /// The library file that was opened.
  public let libraryPath: String

  /// The process's OpenBLAS, opened on first use.
  /// - Precondition: the library exists (run `scripts/setup`).
  public static let shared: BLAS = {
    switch loaded {
    case .success(let blas): return blas
    case .failure(let error): fatalError(error.description)
    }
  }()

  /// The outcome of opening OpenBLAS, once: the CLI checks it first, to report a missing or
  /// wrong library as one line rather than through ``shared``'s trap.
  public static let loaded: Result<BLAS, BackendLoadError> = load()

  /// The OpenBLAS core for this CPU: `SkylakeX` with AVX-512 (F, BW, DQ, VL), `Haswell` with AVX2
  /// and FMA, otherwise `nil` (OpenBLAS decides).
  public static func preferredCore(cpuFlags: Set<String>) -> String? {
    if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) {
      return "SkylakeX"
    }
    if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// Opens the library; the error says what to install when it is missing.
  public static func load() -> Result<BLAS, BackendLoadError> {
    _ = AllocatorTuning.applied
    var source = "environment"
    if getenv("OPENBLAS_CORETYPE") == nil {
      source = "OpenBLAS's own detection"
      if let core = preferredCore(cpuFlags: cpuFlags()) {
        setenv("OPENBLAS_CORETYPE", core, 0)
        source = "chosen from CPU flags"
      }
    }
    // Idle worker threads yield the core after 2⁴ cycles instead of spinning for 2²⁸ (about a
    // tenth of a second), so that the playground's own parallel loops between two matrix
    // products get the core: 10–15% on a DCGAN step. An explicit setting wins.
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0)
    let opened = SharedLibrary.open(
      "OpenBLAS", variable: "PLAYGROUND_BLAS_LIBRARY",
      candidates: ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"],
      package: "libopenblas0")
    return opened.flatMap { library in
      guard let sgemm = library.function("cblas_sgemm", as: Sgemm.self) else {
        return .failure(
          BackendLoadError(description: "\(library.path) has no cblas_sgemm: is it OpenBLAS?"))
      }
      let coreName =
        library.function(
          "openblas_get_corename", as: playground_openblas_get_corename_fn.self
        )
        .flatMap { $0() }.map { String(cString: $0) } ?? "unknown"
      return .success(
        BLAS(
          sgemm: sgemm,
          setNumThreads: library.function(
            "openblas_set_num_threads", as: playground_openblas_set_num_threads_fn.self),
          coreName: coreName, coreSource: source, libraryPath: library.path))
    }
  }

  /// The flags of the first processor in `/proc/cpuinfo`; empty where there is no such file.
  static func cpuFlags() -> Set<String> {
    guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
      let text = String(cString: line!)
      if text.hasPrefix("flags") {
        let values = text.split(separator: ":", maxSplits: 1).last ?? ""
        return Set(values.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
      }
    }
    return []
  }

  /// Makes OpenBLAS run on `threads` threads from now on (when it is not already).
  func setThreads(_ threads: Int) {
    BLAS.threadsLock.lock()
    defer { BLAS.threadsLock.unlock() }
    guard BLAS.appliedThreads != threads else { return }
    setNumThreads?(Int32(threads))
    BLAS.appliedThreads = threads
  }

  private static let threadsLock = Lock()
  nonisolated(unsafe) private static var appliedThreads = 0

  /// `C = alpha · op(A) · op(B) + beta · C` on row-major matrices, where `op(A)` is `m × k` and
  /// `op(B)` is `k × n`, on `threads` threads.
  @inline(__always)
  func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, threads: Int
  ) {
    setThreads(threads)
    sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b,
      Int32(transposeB ? k : n), beta, c, Int32(n))
  }
}

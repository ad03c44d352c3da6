#if canImport(Glibc)
  import Glibc
#endif

/// The library that runs the matrix products and convolutions.
///
/// Both give results within PyTorch's tolerances, but they round differently, as OpenBLAS's two
/// CPU cores already do: the same seed gives identical bytes on the same backend and thread
/// count, not across them.
public enum ComputeBackend: String, CaseIterable, Sendable, Codable {
  /// oneDNN: convolutions in its blocked memory layouts, `dnnl_sgemm` for matrix products.
  case onednn
  /// OpenBLAS: convolutions as im2col and `cblas_sgemm`.
  case openblas

  /// The faster one that can be opened: oneDNN, else OpenBLAS.
  public static var preferred: ComputeBackend {
    if case .success = OneDNN.loaded { return .onednn }
    return .openblas
  }

  /// Opens the backend's library; the error says what to install.
  public func load() -> Result<Void, BackendLoadError> {
    switch self {
    case .onednn: return OneDNN.loaded.map { _ in () }
    case .openblas:
      return BLAS.loaded.map { _ in () }
    }
  }
}

/// The backend and thread count every tensor operation uses.
///
/// A run trains inside ``with(_:_:)`` with the settings it records; outside one, operations use
/// `PLAYGROUND_BACKEND` (`onednn` or `openblas`; default the preferred one) and
/// `PLAYGROUND_THREADS` (default: the online cores). A run's bytes depend on both: threads split
/// some sums differently.
public enum Compute {
  /// The settings in use: those of the innermost ``with(_:_:)`` around the caller, else the
  /// environment's.
  public static var settings: ComputeSettings { scoped ?? fromEnvironment }

  /// Runs `body` with `settings` for the operations it calls on its own task (like PyTorch's
  /// `torch.backends.mkldnn.flags`): a run's training, or both backends side by side in one
  /// process.
  /// - Throws: ``BackendLoadError`` when the backend's library cannot be opened, or what `body`
  ///   throws.
  public static func with<T>(_ settings: ComputeSettings, _ body: () throws -> T) throws -> T {
    if case .failure(let error) = settings.backend.load() { throw error }
    return try $scoped.withValue(settings) { try body() }
  }

  @TaskLocal private static var scoped: ComputeSettings?
  private static let fromEnvironment = ComputeSettings.environment
}

/// A backend and how many threads it runs on.
public struct ComputeSettings: Hashable, Sendable {
  public var backend: ComputeBackend
  /// Threads of the backend's library (OpenMP's for oneDNN, OpenBLAS's own): at least 1.
  public var threads: Int

  public init(backend: ComputeBackend, threads: Int) {
    self.backend = backend
    self.threads = max(1, threads)
  }

  /// From `PLAYGROUND_BACKEND` and `PLAYGROUND_THREADS`, or the preferred backend on the cores
  /// the process can get (``automaticThreads``). An unknown backend name or thread count is
  /// reported by ``environmentProblem``.
  public static var environment: ComputeSettings {
    ComputeSettings(
      backend: environmentValue("PLAYGROUND_BACKEND").flatMap(ComputeBackend.init(rawValue:))
        ?? .preferred,
      threads: environmentValue("PLAYGROUND_THREADS").flatMap { Int($0) }.flatMap {
        $0 >= 1 ? $0 : nil
      } ?? automaticThreads)
  }

  /// The thread count when none is asked for: the cores this process could get when it first
  /// asked (``AvailableCores``), measured once so that every run of the process agrees; a run
  /// records it in its `config.yaml`.
  public static var automaticThreads: Int { availableCores.count }

  /// The cores measured for ``automaticThreads``.
  public static let availableCores = AvailableCores.measure()

  /// What is wrong with `PLAYGROUND_BACKEND` or `PLAYGROUND_THREADS`, as one line; `nil` when
  /// they are unset or valid.
  public static var environmentProblem: String? {
    if let name = environmentValue("PLAYGROUND_BACKEND"), ComputeBackend(rawValue: name) == nil {
      let names = ComputeBackend.allCases.map(\.rawValue).joined(separator: " or ")
      return "PLAYGROUND_BACKEND=\(name) is not a backend: use \(names)"
    }
    if let text = environmentValue("PLAYGROUND_THREADS"), (Int(text) ?? 0) < 1 {
      return "PLAYGROUND_THREADS=\(text) is not a thread count: use a whole number ≥ 1"
    }
    return nil
  }

  private static func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
  }
}

extension Compute {
  /// `C = op(A) · op(B) + beta · C` on row-major matrices, where `op(A)` is `m × k` and `op(B)`
  /// is `k × n`, on the backend in use; on one thread per `grain(backend)` multiply-adds.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>,
    b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>,
    grain: (ComputeBackend) -> Int = OperationGrain.products(on:)
  ) {
    let settings = settings
    let threads = settings.threads(forWork: m * n * k, grain: grain(settings.backend))
    switch settings.backend {
    case .onednn:
      OneDNN.shared.gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta,
        c: c, threads: threads)
    case .openblas:
      BLAS.shared.gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta,
        c: c, threads: threads)
    }
  }
}

extension Compute {
  /// What `summary.json` records of the settings a run used: the backend, its threads and its
  /// library's version.
  public static func versions(of settings: ComputeSettings) -> [String: String] {
    var versions = ["backend": settings.backend.rawValue, "threads": String(settings.threads)]
    if let limitation = ComputeSettings.availableCores.limitation {
      versions["cores_available"] = "\(ComputeSettings.automaticThreads): \(limitation)"
    }
    switch settings.backend {
    case .onednn: versions["onednn"] = OneDNN.shared.version
    case .openblas: versions["openblas_core"] = BLAS.shared.coreName
    }
    return versions
  }
}

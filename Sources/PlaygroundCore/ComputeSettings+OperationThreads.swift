/// How much work one operation needs before a second thread pays for itself.
///
/// Waking a thread and joining it costs microseconds on a quiet machine and a scheduler slice
/// (milliseconds) when its core is busy, so small operations run on the calling thread alone, as
/// PyTorch runs element-wise operations below `at::internal::GRAIN_SIZE` (32,768 elements).
/// Measured on 2 cores (`playground bench core`, `benchmarks/busy.sh`; README "Threads"): oneDNN's
/// products and convolutions below about 2²¹ multiply-adds are as fast or faster on one thread;
/// OpenBLAS's (its threads start and join per call, and its im2col convolutions are
/// memory-bound) below about 2²³ — a character LSTM's gate products of 5·10⁶ multiply-adds ran
/// 4–11% slower on two of its threads than on one.
public enum OperationGrain {
  /// Multiply-adds of a matrix product or convolution per thread, on `backend`.
  public static func products(on backend: ComputeBackend) -> Int {
    switch backend {
    case .onednn: 1 << 21
    case .openblas: 1 << 23
    }
  }
  /// Multiply-adds per thread of the products inside a recurrent layer's steps (`h · W_hhᵀ`
  /// forward, `dG · W_hh` backward: 32 × 128 · 128 × 512 for an LSTM(128) at a batch of 32).
  /// They follow each other with only the cell's kernel between, so oneDNN's threads are still
  /// awake, and the 2²¹ of that LSTM's ran in 20.6 µs on two threads against 37.0 µs on one
  /// (untransposed operands; 0.8× only with the weight read transposed, which the steps avoid).
  public static func recurrentSteps(on backend: ComputeBackend) -> Int {
    switch backend {
    case .onednn: 1 << 19
    case .openblas: products(on: backend)
    }
  }
  /// Elements touched by an element-wise loop per thread.
  public static let elements = 1 << 16
}

extension ComputeSettings {
  /// The threads one operation of `work` units runs on: one per `grain` of work, at least 1 and
  /// at most ``threads``.
  ///
  /// It depends on the operation's size and the settings only, never on the machine's load, so a
  /// run's bytes still depend only on its backend and thread count.
  public func threads(forWork work: Int, grain: Int) -> Int {
    max(1, min(threads, work / max(1, grain)))
  }

  /// The threads of a matrix product or convolution of `multiplyAdds` on this backend.
  public func threads(forProduct multiplyAdds: Int) -> Int {
    threads(forWork: multiplyAdds, grain: OperationGrain.products(on: backend))
  }
}

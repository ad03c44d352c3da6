#if canImport(Glibc)
  import Glibc
#endif

/// Keeps large tensor buffers in the process instead of returning them to the system.
///
/// glibc serves allocations above its mmap threshold (128 KiB to 32 MiB, adaptive) with fresh
/// pages and unmaps them on free, so a training loop that allocates the same multi-megabyte
/// im2col buffers every step spends a fifth of its time in page faults. Raising the thresholds
/// lets freed buffers be reused, as PyTorch's caching allocator does on GPUs. Applied once, when
/// OpenBLAS is first opened.
enum AllocatorTuning {
  static let applied: Bool = {
    #if canImport(Glibc)
      // glibc's mallopt, looked up because Swift's Glibc module leaves out <malloc.h>.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return false }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      // M_MMAP_THRESHOLD (-3) and M_TRIM_THRESHOLD (-1).
      return mallopt(-3, 512 << 20) == 1 && mallopt(-1, 1 << 30) == 1
    #else
      return false
    #endif
  }()
}

import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Splits loops whose iterations write disjoint memory across the machine's cores.
///
/// Results do not depend on the number of cores: each iteration does the same arithmetic in the
/// same order whichever thread runs it.
public enum Parallel {
  /// The number of online processors.
  public static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

  /// Calls `body` with consecutive sub-ranges of `0..<count` that together cover it, in parallel
  /// when `work` (a rough count of elements touched) makes that worthwhile.
  public static func forEachChunk(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    let chunks = min(count, work >= 1 << 16 ? coreCount : 1)
    guard chunks > 1 else {
      body(0..<count)
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        box.value((chunk * count / chunks)..<((chunk + 1) * count / chunks))
      }
    }
  }
}

/// Carries a closure across the `concurrentPerform` boundary; safe because every caller's
/// iterations write disjoint memory.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

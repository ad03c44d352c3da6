import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Splits loops whose iterations write disjoint memory across the run's threads.
///
/// Results do not depend on the number of threads: each iteration does the same arithmetic in the
/// same order whichever thread runs it. The chunks are claimed, not assigned (`concurrentPerform`):
/// when a helper thread's core is busy, the calling thread takes its chunk too.
public enum Parallel {
  /// Calls `body` with consecutive sub-ranges of `0..<count` that together cover it, on as many
  /// of the run's threads as `work` (a rough count of elements touched) pays for
  /// (``OperationGrain/elements`` each).
  public static func forEachChunk(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    let chunks = min(count, Compute.settings.threads(forWork: work, grain: OperationGrain.elements))
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

  /// ``forEachChunk(_:work:_:)`` for an element-wise loop over `count` elements: no call when
  /// there are none, else chunks of at least ``OperationGrain/elements``.
  public static func forEachElementChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    forEachChunk(count, work: count, body)
  }
}

/// Carries a closure across the `concurrentPerform` boundary; safe because every caller's
/// iterations write disjoint memory.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

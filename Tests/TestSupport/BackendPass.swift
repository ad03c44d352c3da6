import Foundation
import Testing

/// The passes of `make test`: every suite runs on the first compute backend; on the second
/// (`PLAYGROUND_TEST_PASS=repeat`) only the suites that compute with tensors run again.
///
/// Every suite says which it is — `@Suite(.onEveryBackend)` or `@Suite(.onOneBackend)` — and
/// `TestMarkingTests` fails for a suite that says neither.
public enum BackendPass {
  /// Whether this process is the second backend's pass.
  public static let isRepeat =
    ProcessInfo.processInfo.environment["PLAYGROUND_TEST_PASS"] == "repeat"
}

extension Trait where Self == ConditionTrait {
  /// A suite whose results depend on the compute backend (it computes with tensors): it runs in
  /// every pass.
  public static var onEveryBackend: Self {
    .enabled("computes with tensors: runs on every backend") { true }
  }

  /// A suite whose results do not depend on the compute backend (settings, files, environments,
  /// run plumbing, or a comparison of both backends in one process): it runs in the first pass.
  public static var onOneBackend: Self {
    .enabled(if: !BackendPass.isRepeat, "independent of the backend: ran in the first pass")
  }
}

/// A run cannot start or finish; the message is one line saying what is wrong and how to fix it.
public struct RunError: Error, CustomStringConvertible, Equatable {
  public let description: String
  /// Whether training diverged (``diverged(at:loss:lower:)``): the run folder is kept, with
  /// status `diverged`, rather than removed.
  public private(set) var isDivergence = false
  public init(_ description: String) { self.description = description }
}

extension RunError {
  /// Training produced a loss that is not a finite number: the run stops at once, saying where
  /// and what to lower (exploding gradients must never become NaN metrics written silently).
  public static func diverged(at step: String, loss: Double, lower settings: String) -> RunError {
    var error = RunError(
      "training diverged at \(step): the loss is \(loss); lower \(settings) and run again")
    error.isDivergence = true
    return error
  }
}

/// `1 run`, `3 runs`: a count with its noun (plural with an s).
public func counted(_ count: Int, _ noun: String) -> String {
  "\(count) \(noun)\(count == 1 ? "" : "s")"
}

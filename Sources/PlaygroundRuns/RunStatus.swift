/// What became of a run (its `summary.json` `status`, and a sweep's record of it).
public enum RunStatus: String, Codable, Sendable {
  /// Trained to the end of its budget; every output written.
  case finished
  /// Stopped by Ctrl-C or a signal after saving what it needs to continue.
  case interrupted
  /// Ended by an error or a crash (no summary).
  case failed
  /// Stopped when its loss became NaN or infinite; kept with its metrics up to there and its
  /// last checkpoint from before (a result, like a finished run: re-running diverges again).
  case diverged
  /// Stopped early by a tuning pruner for doing worse than other trials; kept with its metrics
  /// up to there (a result of the study: re-running it would be pruned again).
  case pruned

  /// Whether the run has its outcome: a sweep does not redo it.
  public var isDone: Bool { self == .finished || self == .diverged || self == .pruned }
}

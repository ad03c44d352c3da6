/// A training budget of epochs or minutes of training time (0: no limit of that kind), checked
/// after each epoch: what the generative kinds' `epochs:` and `minutes:` settings mean.
struct EpochBudget {
  let epochs: Int
  let minutes: Double

  /// Whether another epoch starts after `completed` epochs and `trainSeconds` of training.
  func allowsAnother(completed: Int, trainSeconds: Double) -> Bool {
    (epochs == 0 || completed < epochs) && (minutes == 0 || trainSeconds < minutes * 60)
  }

  /// Whether `epoch`, just finished, is the last.
  func isSpent(after epoch: Int, trainSeconds: Double) -> Bool {
    (epochs > 0 && epoch == epochs) || (minutes > 0 && trainSeconds >= minutes * 60)
  }

  /// "Epoch 3/10", or "Epoch 3 (1.2 of 5 minutes)".
  func progress(epoch: Int, trainSeconds: Double) -> String {
    "Epoch \(epoch)"
      + (epochs > 0
        ? "/\(epochs)" : String(format: " (%.1f of %.3g minutes)", trainSeconds / 60, minutes))
  }
}

import Foundation

/// The median stopping rule (Golovin et al. 2017, "Google Vizier"), as Optuna's
/// `MedianPruner`: once ``startupTrials`` trials have completed, a trial stops when its best
/// figure so far is worse than the median of the completed trials' figures at the same budget.
public struct MedianPruner: Pruner {
  /// Completed trials needed before any trial is stopped.
  public var startupTrials: Int
  /// Budget before which no trial is stopped.
  public var warmupBudget: Double

  public init(startupTrials: Int = 5, warmupBudget: Double = 0) {
    self.startupTrials = startupTrials
    self.warmupBudget = warmupBudget
  }

  public func shouldPrune(_ trial: inout TrialProgress, others: [TrialProgress], goal: Goal)
    -> Bool
  {
    guard let latest = trial.reports.last, latest.budget >= warmupBudget else { return false }
    let completed = others.filter(\.isComplete)
    guard completed.count >= startupTrials else { return false }
    let atBudget = completed.compactMap { other in
      other.reports.first { abs($0.budget - latest.budget) <= 1e-9 * max(1, latest.budget) }?.value
    }.filter(\.isFinite)
    guard !atBudget.isEmpty else { return false }
    let best = trial.reports.map(\.value).filter(\.isFinite).min { goal.isBetter($0, than: $1) }
    guard let best else { return true }
    return goal.isBetter(Self.median(atBudget), than: best)
  }

  /// The median (the mean of the middle two for an even count).
  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

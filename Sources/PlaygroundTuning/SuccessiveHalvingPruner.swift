import Foundation

/// Asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel
/// Hyperparameter Tuning"), as Optuna's `SuccessiveHalvingPruner`: rung *k* sits at
/// `minimumBudget · η^k` budget units. A trial that reaches a rung records its figure there and
/// goes on only if that figure is among the best ⌊n/η⌋ (at least 1) of the n trials that have
/// reached the rung so far — no trial waits for others, so it suits trials that start and end at
/// any time, on any number of workers.
public struct SuccessiveHalvingPruner: Pruner {
  /// η, the reduction factor: about 1/η of the trials go on at each rung.
  public var reductionFactor: Double
  /// The first rung's budget; `nil`: the budget of a trial's first report.
  public var minimumBudget: Double?

  public init(reductionFactor: Double = 3, minimumBudget: Double? = nil) {
    precondition(reductionFactor >= 2, "ASHA's reduction factor must be at least 2")
    self.reductionFactor = reductionFactor
    self.minimumBudget = minimumBudget
  }

  /// The budget of rung `k` for a trial whose first report came at `first`.
  public func rungBudget(_ k: Int, first: Double) -> Double {
    (minimumBudget ?? first) * pow(reductionFactor, Double(k))
  }

  public func shouldPrune(_ trial: inout TrialProgress, others: [TrialProgress], goal: Goal)
    -> Bool
  {
    guard let latest = trial.reports.last, let first = trial.reports.first else { return false }
    var rung = trial.rungs.count
    while latest.budget >= rungBudget(rung, first: first.budget) * (1 - 1e-9) {
      trial.rungs[rung] = latest.value
      let competitors = others.compactMap { $0.rungs[rung] } + [latest.value]
      let promoted = max(1, Int(Double(competitors.count) / reductionFactor))
      let cutoff = competitors.map(goal.loss).sorted()[promoted - 1]
      guard goal.loss(latest.value) <= cutoff else { return true }
      rung += 1
    }
    return false
  }
}

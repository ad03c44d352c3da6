import Foundation

/// A figure of a kind's runs that tuning may optimise: a key of its `summary.json`, the way it
/// is better, and the figure its runs report while they train
/// (``RunContext/report(budget:_:)``), which a pruner compares between trials.
public struct RunObjective: Sendable, Equatable {
  /// The `summary.json` key, e.g. `test_accuracy`, `solved_at_step`.
  public var name: String
  public var higherIsBetter: Bool
  /// The figure reported while training that tracks it (e.g. `eval_mean_return`), and whether
  /// more of it is better; `nil` when there is none (no pruning on it).
  public var progress: (name: String, higherIsBetter: Bool)?
  /// The summary key whose value stands in when the run never records ``name`` (e.g. a DQN
  /// that never solves has no `solved_at_step`: its `steps` stand in).
  public var fallback: String?
  /// The budget unit of the reports, e.g. `step`.
  public var unit: String
  /// The best value the figure can take when it is a score normalized to it (accuracy: 1), for
  /// the optimality gap of aggregates; `nil` when there is none.
  public var optimum: Double?

  public init(
    _ name: String, higherIsBetter: Bool, progress: (name: String, higherIsBetter: Bool)? = nil,
    fallback: String? = nil, unit: String, optimum: Double? = nil
  ) {
    self.name = name
    self.higherIsBetter = higherIsBetter
    self.progress = progress
    self.fallback = fallback
    self.unit = unit
    self.optimum = optimum
  }

  /// The figure in a run's `summary.json`, or its fallback's when the run never recorded it;
  /// `nil` when neither is a finite number.
  public func value(in summary: [String: Any]) -> Double? {
    for key in [name] + (fallback.map { [$0] } ?? []) {
      if let value = (summary[key] as? NSNumber)?.doubleValue, value.isFinite { return value }
    }
    return nil
  }

  public static func == (a: RunObjective, b: RunObjective) -> Bool {
    a.name == b.name && a.higherIsBetter == b.higherIsBetter && a.progress?.name == b.progress?.name
      && a.progress?.higherIsBetter == b.progress?.higherIsBetter && a.fallback == b.fallback
      && a.unit == b.unit && a.optimum == b.optimum
  }
}

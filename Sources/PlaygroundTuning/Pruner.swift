/// A trial's intermediate figures, as a pruner sees them.
public struct TrialProgress: Equatable, Sendable {
  /// One intermediate figure: the objective's running value after `budget` units.
  public struct Report: Equatable, Sendable, Codable {
    public var budget: Double
    public var value: Double
    public init(budget: Double, value: Double) {
      self.budget = budget
      self.value = value
    }
  }

  public var number: Int
  /// In the order reported (budgets increase).
  public var reports: [Report]
  /// Successive halving: the figure with which the trial reached rung *k* (rungs it passed and
  /// the one where it stopped).
  public var rungs: [Int: Double]
  /// Whether the trial trained to its end.
  public var isComplete: Bool

  public init(
    number: Int, reports: [Report] = [], rungs: [Int: Double] = [:], isComplete: Bool = false
  ) {
    self.number = number
    self.reports = reports
    self.rungs = rungs
    self.isComplete = isComplete
  }
}

/// Decides, each time a trial reports an intermediate figure, whether it goes on.
public protocol Pruner: Sendable {
  /// Whether `trial`, whose newest report is its last, should stop now. May record what it
  /// decided on in `trial` (the rungs), which the other trials then see.
  /// - Parameter others: every other trial of the study, finished or running.
  func shouldPrune(_ trial: inout TrialProgress, others: [TrialProgress], goal: Goal) -> Bool
}

/// Never stops a trial.
public struct NoPruner: Pruner {
  public init() {}
  public func shouldPrune(_ trial: inout TrialProgress, others: [TrialProgress], goal: Goal)
    -> Bool
  { false }
}

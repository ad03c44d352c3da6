/// Scores of several runs on one or more tasks, `runs × tasks` as rliable arranges them (e.g.
/// the solve step of 32 seeds of one setting: 32 × 1).
public struct ScoreMatrix: Sendable, Equatable {
  public let runs: Int
  public let tasks: Int
  /// Row-major: run `r`'s score on task `t` is `values[r * tasks + t]`.
  public let values: [Double]

  public init(runs: Int, tasks: Int, values: [Double]) {
    precondition(runs >= 1 && tasks >= 1 && values.count == runs * tasks, "runs × tasks scores")
    (self.runs, self.tasks, self.values) = (runs, tasks, values)
  }

  /// One task's scores, one per run.
  public init(_ scores: [Double]) { self.init(runs: scores.count, tasks: 1, values: scores) }

  public subscript(run: Int, task: Int) -> Double { values[run * tasks + task] }
}

/// The aggregate metrics of "Deep RL at the Edge of the Statistical Precipice" (Agarwal et al.,
/// 2021), exactly as the `rliable` library computes them.
public enum AggregateMetric: String, CaseIterable, Sendable {
  /// The mean over tasks of each task's mean score.
  case mean
  /// The median over tasks of each task's mean score (with one task, the mean).
  case median
  /// The interquartile mean: the mean of all scores after cutting ⌊n/4⌋ from each end (SciPy's
  /// `trim_mean(…, 0.25)` over runs and tasks together).
  case iqm
  /// γ − mean(min(score, γ)) over runs and tasks: how far the scores fall short of the optimum γ
  /// (scores normalized so that γ = 1 means solved).
  case optimalityGap = "optimality_gap"

  /// The metric of `scores`; `optimum` is the γ of the optimality gap.
  public func callAsFunction(_ scores: ScoreMatrix, optimum: Double = 1) -> Double {
    switch self {
    case .mean:
      return Self.average(taskMeans(scores))
    case .median:
      return Self.median(taskMeans(scores))
    case .iqm:
      let sorted = scores.values.sorted()
      let cut = sorted.count / 4
      return Self.average(Array(sorted[cut..<(sorted.count - cut)]))
    case .optimalityGap:
      return optimum - Self.average(scores.values.map { min($0, optimum) })
    }
  }

  private func taskMeans(_ scores: ScoreMatrix) -> [Double] {
    (0..<scores.tasks).map { t in
      Self.average((0..<scores.runs).map { scores[$0, t] })
    }
  }

  static func average(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
  }

  /// NumPy's median: the middle value, or the mean of the two middle values.
  public static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

/// A point estimate with its confidence interval.
public struct IntervalEstimate: Sendable, Equatable {
  public var estimate: Double
  public var low: Double
  public var high: Double

  public init(estimate: Double, low: Double, high: Double) {
    (self.estimate, self.low, self.high) = (estimate, low, high)
  }
}

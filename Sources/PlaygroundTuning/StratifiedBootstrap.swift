import PlaygroundRandom

/// Confidence intervals by the stratified bootstrap (rliable's `StratifiedBootstrap`, percentile
/// method): each resample draws, for every task separately, as many runs as there are with
/// replacement; the interval is the percentiles (α/2, 1 − α/2) of the statistic over the
/// resamples, interpolated linearly as NumPy's `percentile`. Deterministic for a given seed.
public struct StratifiedBootstrap: Sendable {
  public let scores: ScoreMatrix
  /// Resamples (rliable's `reps`: 50,000 for intervals, 2,000 for profiles).
  public var repetitions: Int
  /// The interval's coverage, e.g. 0.95.
  public var confidence: Double
  public var seed: UInt64

  public init(
    _ scores: ScoreMatrix, repetitions: Int = 50_000, confidence: Double = 0.95, seed: UInt64 = 0
  ) {
    precondition(repetitions >= 1 && confidence > 0 && confidence < 1, "a usable bootstrap")
    self.scores = scores
    self.repetitions = repetitions
    self.confidence = confidence
    self.seed = seed
  }

  /// Each metric's value on the scores with its interval, from one set of resamples.
  public func intervals(of metrics: [AggregateMetric], optimum: Double = 1) -> [IntervalEstimate] {
    intervals { sample in metrics.map { $0(sample, optimum: optimum) } }
  }

  /// Which scores a performance profile counts at each threshold τ.
  public enum ProfileSide: Sendable {
    /// Above τ (rliable's run-score distribution: scores where more is better).
    case above
    /// At or below τ (where less is better: e.g. the share of seeds solved by step τ).
    case atOrBelow
  }

  /// The run-score performance profile: the share of scores above each threshold τ (rliable's
  /// `create_performance_profile` with `use_score_distribution=True`), or at or below it, with
  /// its band.
  public func profile(thresholds: [Double], counting side: ProfileSide = .above)
    -> [IntervalEstimate]
  {
    intervals { sample in
      thresholds.map { tau in
        let counted = sample.values.lazy.filter { side == .above ? $0 > tau : $0 <= tau }.count
        return Double(counted) / Double(sample.values.count)
      }
    }
  }

  /// `statistic` (several numbers at once) on the scores, with the interval of each number.
  public func intervals(_ statistic: (ScoreMatrix) -> [Double]) -> [IntervalEstimate] {
    let point = statistic(scores)
    let random = RandomGenerator(seed: seed)
    var replicates = [[Double]](repeating: [], count: point.count)
    var resampled = scores.values
    for _ in 0..<repetitions {
      for r in 0..<scores.runs {
        for t in 0..<scores.tasks {
          resampled[r * scores.tasks + t] = scores[random.integer(below: scores.runs), t]
        }
      }
      let values = statistic(ScoreMatrix(runs: scores.runs, tasks: scores.tasks, values: resampled))
      for k in values.indices { replicates[k].append(values[k]) }
    }
    let alpha = (1 - confidence) / 2
    return point.indices.map { k in
      let sorted = replicates[k].sorted()
      return IntervalEstimate(
        estimate: point[k], low: Self.percentile(sorted, alpha),
        high: Self.percentile(sorted, 1 - alpha))
    }
  }

  /// NumPy's default (linear) percentile of sorted values at fraction `p`.
  static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    let position = p * Double(sorted.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, sorted.count - 1)
    let fraction = position - Double(below)
    return sorted[below] + (sorted[above] - sorted[below]) * fraction
  }
}

import Foundation
import PlaygroundImage
import PlaygroundRuns
import PlaygroundTuning

/// A sweep's finished runs aggregated with honest confidence (Agarwal et al., 2021, as the
/// `rliable` library computes it): for every objective of the kind and every setting, the mean,
/// median, interquartile mean and — for a score with an optimum — optimality gap of the runs'
/// figures with 95% stratified-bootstrap intervals (`aggregate.json`); the first objective's
/// performance profile with its band (`profiles.png`); the learning curves' IQM over seeds with
/// its 95% band (`curves.png`). The bootstrap is seeded: the same runs give the same files.
struct SweepAggregates {
  let objectives: [RunObjective]
  let records: [(label: String, record: RunRecord)]
  /// Resamples for the intervals (rliable's default), and for each profile and curve point.
  var intervalResamples = 50_000
  var bandResamples = 2_000

  /// The settings in the order they first appear, each with its runs' records.
  var groups: [(label: String, values: [RunRecord])] {
    SweepSummary.grouped(records) { $0 }
  }

  /// Writes `aggregate.json`, `profiles.png` and `curves.png` into `folder`; returns
  /// `aggregate.json`'s object.
  @discardableResult
  func write(to folder: URL, title: String) throws -> [String: Any] {
    let json = json()
    try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
      .write(to: folder.appendingPathComponent("aggregate.json"), options: .atomic)
    if let profiles = profilesChart(title: title) {
      try PNG.write(profiles, to: folder.appendingPathComponent("profiles.png"))
    }
    if let curves = curvesChart(title: title) {
      try PNG.write(curves, to: folder.appendingPathComponent("curves.png"))
    }
    return json
  }

  /// `aggregate.json`'s object: per objective, per setting, the runs counted and each metric's
  /// estimate with its interval.
  func json() -> [String: Any] {
    var objectives: [String: Any] = [:]
    for objective in self.objectives {
      var settings: [String: Any] = [:]
      for group in groups {
        let scores = group.values.compactMap { objective.value(in: $0.summary) }
        guard !scores.isEmpty else { continue }
        settings[group.label] = entry(scores, objective)
      }
      if !settings.isEmpty { objectives[objective.name] = settings }
    }
    return [
      "method":
        "95% stratified-bootstrap percentile intervals (rliable), \(intervalResamples) resamples",
      "objectives": objectives,
    ]
  }

  private func entry(_ scores: [Double], _ objective: RunObjective) -> [String: Any] {
    var metrics: [AggregateMetric] = [.mean, .median, .iqm]
    if objective.optimum != nil { metrics.append(.optimalityGap) }
    let estimates = StratifiedBootstrap(ScoreMatrix(scores), repetitions: intervalResamples)
      .intervals(of: metrics, optimum: objective.optimum ?? 1)
    var entry: [String: Any] = [
      "runs": scores.count, "higher_is_better": objective.higherIsBetter,
    ]
    for (metric, estimate) in zip(metrics, estimates) {
      entry[metric.rawValue] = [
        "estimate": estimate.estimate, "low": estimate.low, "high": estimate.high,
      ]
    }
    if let optimum = objective.optimum { entry["optimum"] = optimum }
    return entry
  }

  /// The first objective's run-score profile per setting: the share of runs scoring above τ
  /// (for a figure where less is better, at or below τ: e.g. the share of seeds solved by step
  /// τ), with its 95% band; `nil` with no scores.
  func profilesChart(title: String) -> Image? {
    guard let objective = objectives.first else { return nil }
    let scored = groups.map { group in
      (group.label, group.values.compactMap { objective.value(in: $0.summary) })
    }.filter { !$0.1.isEmpty }
    let all = scored.flatMap(\.1)
    guard let low = all.min(), let high = all.max() else { return nil }
    let thresholds = (0...60).map { low + (high - low) * Double($0) / 60 }
    let series = scored.enumerated().map { k, group -> LineChart.Series in
      let profile = StratifiedBootstrap(ScoreMatrix(group.1), repetitions: bandResamples).profile(
        thresholds: thresholds, counting: objective.higherIsBetter ? .above : .atOrBelow)
      return LineChart.Series(
        name: "\(group.0) (\(group.1.count) runs)",
        color: LineChart.palette[k % LineChart.palette.count],
        points: zip(thresholds, profile).map { ($0, $1.estimate) },
        band: zip(thresholds, profile).map { ($0, $1.low, $1.high) })
    }
    let share = objective.higherIsBetter ? "ABOVE" : "AT OR BELOW"
    var chart = LineChart(
      title: "\(title) PERFORMANCE PROFILE",
      xLabel: objective.name.replacingOccurrences(of: "_", with: " ").uppercased(),
      yLabel: "SHARE OF RUNS \(share), 95% CI", series: series)
    chart.width = 800
    chart.height = 480
    return chart.render()
  }

  /// The learning curves' IQM over the runs of each setting, with its 95% stratified-bootstrap
  /// band, on the union of their x values (a curve that ended keeps its last value); `nil` when
  /// no run has a curve.
  func curvesChart(title: String) -> Image? {
    let curves = SweepSummary.grouped(records) { $0.curve }
    guard let first = curves.first?.values.first else { return nil }
    let series = curves.enumerated().map { k, group -> LineChart.Series in
      let points = Self.iqmBand(group.values, resamples: bandResamples)
      return LineChart.Series(
        name: "\(group.label) (\(group.values.count) runs)",
        color: LineChart.palette[k % LineChart.palette.count],
        points: points.map { ($0.x, $0.estimate.estimate) },
        band: group.values.count > 1 ? points.map { ($0.x, $0.estimate.low, $0.estimate.high) } : []
      )
    }
    var chart = LineChart(
      title: "\(title) LEARNING CURVES", xLabel: first.xName.uppercased(),
      yLabel: "\(first.yName.uppercased()), IQM OVER RUNS, 95% CI", series: series)
    chart.width = 800
    chart.height = 480
    return chart.render()
  }

  /// At most 100 x values of the union of the curves' x, each with the IQM of the curves'
  /// latest values there and its interval.
  static func iqmBand(_ curves: [LearningCurve], resamples: Int) -> [(
    x: Double, estimate: IntervalEstimate
  )] {
    let xs = Array(Set(curves.flatMap(\.x))).sorted()
    let stride = max(1, xs.count / 100)
    let chosen = Swift.stride(from: 0, to: xs.count, by: stride).map { xs[$0] } + [xs.last!]
    return Array(Set(chosen)).sorted().compactMap { x in
      let values = curves.compactMap { curve -> Double? in
        guard let last = curve.x.lastIndex(where: { $0 <= x }) else { return nil }
        return curve.y[last]
      }.filter(\.isFinite)
      guard !values.isEmpty else { return nil }
      let estimate = StratifiedBootstrap(ScoreMatrix(values), repetitions: resamples)
        .intervals(of: [.iqm])[0]
      return (x, estimate)
    }
  }
}

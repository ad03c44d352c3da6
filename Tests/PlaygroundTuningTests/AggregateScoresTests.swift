import Foundation
import TestSupport
import Testing

@testable import PlaygroundTuning

/// The aggregate metrics, their stratified-bootstrap intervals and the performance profiles
/// against `rliable.json` (rliable 1.2 with 50,000 resamples; profiles 2,000).
@Suite(.onOneBackend) struct AggregateScoresTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      let scores: [[Double]]
      let point: [String: Double]
      let low: [String: Double]
      let high: [String: Double]
      let taus: [Double]
      let profile: [Double]
      let profile_low: [Double]
      let profile_high: [Double]
    }
    let cases: [String: Case]
  }

  static let fixture = try! JSONDecoder().decode(
    Fixture.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("rliable.json")))

  static func matrix(_ rows: [[Double]]) -> ScoreMatrix {
    ScoreMatrix(runs: rows.count, tasks: rows[0].count, values: rows.flatMap { $0 })
  }

  /// The point estimates equal rliable's (to rounding); each interval end is within 0.1
  /// bootstrap standard deviations of rliable's. Why 0.1: an end is the 2.5th or 97.5th
  /// percentile of B = 50,000 resamples, whose Monte Carlo standard error is about
  /// √(p(1 − p)) / φ(1.96) / √B ≈ 0.012 bootstrap standard deviations; two independent
  /// bootstraps differ by √2 of that, so 0.1 is about six standard errors — wide enough never to
  /// fail by chance, narrow enough to catch a wrong resampling scheme (resampling runs and tasks
  /// together, or the ends of a 90% interval, move them by more than 0.2).
  @Test(arguments: ["32x1", "10x3", "5x1_ties"])
  func intervalsMatchRliable(_ name: String) {
    let expected = Self.fixture.cases[name]!
    let scores = Self.matrix(expected.scores)
    let metrics = AggregateMetric.allCases
    let bootstrap = StratifiedBootstrap(scores, repetitions: 50_000, seed: 1)
    let found = bootstrap.intervals(of: metrics)
    let deviations = Self.bootstrapDeviations(scores, metrics)
    for (k, metric) in metrics.enumerated() {
      let key = metric.rawValue
      #expect(abs(found[k].estimate - expected.point[key]!) < 1e-12, "\(name) \(key)")
      let tolerance = 0.1 * deviations[k]
      #expect(abs(found[k].low - expected.low[key]!) <= tolerance, "\(name) \(key) low")
      #expect(abs(found[k].high - expected.high[key]!) <= tolerance, "\(name) \(key) high")
    }
  }

  /// The standard deviation of each metric over 5,000 resamples.
  static func bootstrapDeviations(_ scores: ScoreMatrix, _ metrics: [AggregateMetric]) -> [Double] {
    var samples: [[Double]] = []
    _ = StratifiedBootstrap(scores, repetitions: 5_000, seed: 2).intervals { sample in
      let values = metrics.map { $0(sample) }
      samples.append(values)
      return values
    }
    return metrics.indices.map { k in
      let column = samples.map { $0[k] }
      let mean = column.reduce(0, +) / Double(column.count)
      return (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count))
        .squareRoot()
    }
  }

  /// The profile equals rliable's; its band ends, percentiles of 2,000 resamples of a share
  /// that moves in steps of 1/(runs · tasks), are within two such steps of rliable's.
  @Test(arguments: ["32x1", "10x3", "5x1_ties"])
  func profilesMatchRliable(_ name: String) {
    let expected = Self.fixture.cases[name]!
    let scores = Self.matrix(expected.scores)
    let found = StratifiedBootstrap(scores, repetitions: 2_000, seed: 3).profile(
      thresholds: expected.taus)
    let step = 1 / Double(scores.values.count)
    for (k, tau) in expected.taus.enumerated() {
      #expect(abs(found[k].estimate - expected.profile[k]) < 1e-12, "\(name) τ \(tau)")
      #expect(abs(found[k].low - expected.profile_low[k]) <= 2 * step, "\(name) τ \(tau) low")
      #expect(abs(found[k].high - expected.profile_high[k]) <= 2 * step, "\(name) τ \(tau) high")
    }
  }

  @Test func metricsByHand() {
    let scores = ScoreMatrix([4, 1, 3, 2, 100, 0, 5, 6])
    #expect(AggregateMetric.mean(scores) == 121.0 / 8)
    // Sorted 0 1 2 3 4 5 6 100: two cut from each end.
    #expect(AggregateMetric.iqm(scores) == 3.5)
    #expect(AggregateMetric.optimalityGap(scores, optimum: 4) == 4 - 22.0 / 8)
    let tasks = ScoreMatrix(runs: 2, tasks: 3, values: [1, 2, 3, 3, 4, 9])
    #expect(AggregateMetric.median(tasks) == 3)  // task means 2, 3, 6
  }

  @Test func theSameSeedGivesTheSameIntervals() {
    let scores = ScoreMatrix((0..<20).map { Double($0 * $0 % 7) })
    let a = StratifiedBootstrap(scores, repetitions: 500, seed: 9).intervals(of: [.iqm])
    #expect(a == StratifiedBootstrap(scores, repetitions: 500, seed: 9).intervals(of: [.iqm]))
    #expect(a != StratifiedBootstrap(scores, repetitions: 500, seed: 10).intervals(of: [.iqm]))
  }
}

import Foundation
import PlaygroundRandom

/// The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
/// Hyper-Parameter Optimization"), univariate, with Optuna's defaults: the first
/// ``startupTrials`` at random; then the finished trials are split into the best
/// γ(n) = min(⌈0.1 n⌉, 25) and the rest, a Parzen density l(x) and g(x) is fitted to each per
/// setting (recent trials weighted more once there are over 25), ``candidates`` points are drawn
/// from l, and the one with the largest l(x)/g(x) is chosen. Pruned trials rank after the
/// complete ones, those that went further first.
public struct TPESampler: Sampler {
  public let seed: UInt64
  public var startupTrials = 10
  public var candidates = 24
  public var priorWeight = 1.0

  public init(seed: UInt64) { self.seed = seed }

  public func sample(
    _ space: SearchSpace, number: Int, history: [FinishedTrial], goal: Goal
  ) -> [String: Double] {
    guard history.count >= startupTrials else {
      return RandomSampler(seed: seed).sample(space, number: number, history: history, goal: goal)
    }
    let (below, above) = Self.split(history, goal: goal)
    let generator = RandomGenerator(seed: seed).derived(stream: UInt64(number) + 1)
    let (good, bad) = (Self.weighted(below), Self.weighted(above))
    var point: [String: Double] = [:]
    for parameter in space.parameters {
      let name = parameter.name
      let good = good.compactMap { trial in
        trial.trial.parameters[name].map { (value: $0, weight: trial.weight) }
      }
      let bad = bad.compactMap { trial in
        trial.trial.parameters[name].map { (value: $0, weight: trial.weight) }
      }
      point[name] = sampleOne(parameter.distribution, good: good, bad: bad, generator)
    }
    return point
  }

  private func sampleOne(
    _ distribution: Distribution, good: [(value: Double, weight: Double)],
    bad: [(value: Double, weight: Double)], _ generator: RandomGenerator
  ) -> Double {
    if case .choice(let values) = distribution {
      let l = CategoricalEstimator(
        observations: good.map { (Int($0.value), $0.weight) }, choices: values.count,
        priorWeight: priorWeight)
      let g = CategoricalEstimator(
        observations: bad.map { (Int($0.value), $0.weight) }, choices: values.count,
        priorWeight: priorWeight)
      let drawn = (0..<candidates).map { _ in l.sample(generator) }
      let best = drawn.max {
        l.logDensity($0) - g.logDensity($0) < l.logDensity($1) - g.logDensity($1)
      }!
      return Double(best)
    }
    let range = distribution.internalRange!
    func estimator(_ points: [(value: Double, weight: Double)]) -> ParzenEstimator {
      ParzenEstimator(
        observations: points.map { (distribution.internalPoint($0.value), $0.weight) },
        low: range.lowerBound, high: range.upperBound, priorWeight: priorWeight)
    }
    let (l, g) = (estimator(good), estimator(bad))
    var best = (x: range.lowerBound, score: -Double.infinity)
    for _ in 0..<candidates {
      var x = l.sample(generator)
      // A whole number is scored where it lies, not between two.
      if case .integer = distribution {
        x = distribution.internalPoint(distribution.value(internal: x))
      }
      let score = l.logDensity(x) - g.logDensity(x)
      if score > best.score { best = (x, score) }
    }
    return distribution.value(internal: best.x)
  }

  /// The best γ(n) trials and the rest: complete trials by objective (missing values last),
  /// then pruned ones by the budget they reached (further first) and their last figure.
  static func split(_ history: [FinishedTrial], goal: Goal) -> (
    below: [FinishedTrial], above: [FinishedTrial]
  ) {
    func loss(_ trial: FinishedTrial) -> Double { trial.value.map(goal.loss) ?? .infinity }
    let complete = history.filter { $0.state == .complete }.sorted {
      (loss($0), $0.number) < (loss($1), $1.number)
    }
    let pruned = history.filter { $0.state == .pruned }.sorted {
      (-$0.budget, loss($0), $0.number) < (-$1.budget, loss($1), $1.number)
    }
    let ordered = complete + pruned
    let count = min(Int((0.1 * Double(ordered.count)).rounded(.up)), 25)
    return (Array(ordered.prefix(count)), Array(ordered.dropFirst(count)))
  }

  /// Each trial with its weight: 1, or, among more than 25, a ramp from 1/n up to 1 for all but
  /// the 25 most recent (Optuna's `default_weights`).
  static func weighted(_ trials: [FinishedTrial]) -> [(trial: FinishedTrial, weight: Double)] {
    let ordered = trials.sorted { $0.number < $1.number }
    let n = ordered.count
    guard n > 25 else { return ordered.map { ($0, 1) } }
    let ramped = n - 25
    return ordered.enumerated().map { index, trial in
      guard index < ramped else { return (trial, 1) }
      let start = 1 / Double(n)
      let step = ramped > 1 ? (1 - start) / Double(ramped - 1) : 0
      return (trial, start + step * Double(index))
    }
  }
}

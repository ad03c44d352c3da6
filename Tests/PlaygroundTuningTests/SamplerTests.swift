import Foundation
import Testing
import TestSupport

@testable import PlaygroundTuning

/// TPE against random search on a synthetic objective: a shifted quadratic over two settings,
/// one on a log scale (a learning rate), the other linear.
@Suite(.onOneBackend) struct SamplerTests {
  let space = SearchSpace([
    .init(name: "learning_rate", distribution: .logUniform(low: 1e-5, high: 1e-1)),
    .init(name: "momentum", distribution: .uniform(low: 0, high: 1)),
  ])

  /// Smallest at learning rate 1e-3 and momentum 0.8: 0 there.
  func objective(_ point: [String: Double]) -> Double {
    let a = log10(point["learning_rate"]!) + 3
    let b = (point["momentum"]! - 0.8) * 4
    return a * a + b * b
  }

  /// The trials it takes `sampler` to come within `distance` of the optimum (or `limit`).
  func trialsToReach(_ distance: Double, _ sampler: any Sampler, limit: Int = 100) -> Int {
    var history: [FinishedTrial] = []
    for number in 0..<limit {
      let point = sampler.sample(space, number: number, history: history, goal: .minimize)
      let value = objective(point)
      if value <= distance { return number + 1 }
      history.append(
        FinishedTrial(number: number, parameters: point, state: .complete, value: value, budget: 1))
    }
    return limit
  }

  @Test func tpeReachesTheOptimumInFewerTrialsThanRandomSearchOnAverage() {
    let seeds = UInt64(0)..<30
    let tpe = seeds.map { trialsToReach(0.05, TPESampler(seed: $0)) }
    let random = seeds.map { trialsToReach(0.05, RandomSampler(seed: $0)) }
    let mean = { (values: [Int]) in Double(values.reduce(0, +)) / Double(values.count) }
    #expect(mean(tpe) < 0.6 * mean(random), "TPE \(mean(tpe)) vs random \(mean(random)) trials")
  }

  @Test func samplesStayInsideTheirDistributions() {
    let space = SearchSpace([
      .init(name: "a", distribution: .integer(low: 16, high: 256, log: true)),
      .init(name: "b", distribution: .integer(low: 1, high: 3, log: false)),
      .init(name: "c", distribution: .choice(["[64]", "[64, 64]", "[256, 256]"])),
      .init(name: "d", distribution: .uniform(low: -1, high: 1)),
    ])
    var history: [FinishedTrial] = []
    let sampler = TPESampler(seed: 3)
    for number in 0..<40 {
      let point = sampler.sample(space, number: number, history: history, goal: .maximize)
      #expect((16...256).contains(point["a"]!) && point["a"]! == point["a"]!.rounded())
      #expect([1, 2, 3].contains(point["b"]!))
      #expect([0, 1, 2].contains(point["c"]!))
      #expect((-1...1).contains(point["d"]!))
      history.append(
        FinishedTrial(
          number: number, parameters: point, state: number % 3 == 0 ? .pruned : .complete,
          value: point["d"]! + point["b"]!, budget: Double(number % 3)))
    }
  }

  @Test func theSameHistoryAndNumberGiveTheSamePoint() {
    let history = (0..<12).map { number in
      FinishedTrial(
        number: number,
        parameters: ["learning_rate": pow(10, -Double(number % 5) - 1), "momentum": 0.5],
        state: .complete, value: Double(number), budget: 1)
    }
    let a = TPESampler(seed: 7).sample(space, number: 12, history: history, goal: .minimize)
    let b = TPESampler(seed: 7).sample(space, number: 12, history: history, goal: .minimize)
    let c = TPESampler(seed: 8).sample(space, number: 12, history: history, goal: .minimize)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func theSplitPutsCompleteTrialsBeforePrunedOnesAndMissingValuesLast() {
    let trials =
      [
        FinishedTrial(number: 0, parameters: [:], state: .complete, value: nil, budget: 9),
        FinishedTrial(number: 1, parameters: [:], state: .pruned, value: 0.99, budget: 3),
        FinishedTrial(number: 2, parameters: [:], state: .complete, value: 0.5, budget: 9),
        FinishedTrial(number: 3, parameters: [:], state: .pruned, value: 0.2, budget: 1),
      ]
      + (4..<20).map {
        FinishedTrial(number: $0, parameters: [:], state: .complete, value: 0.1, budget: 9)
      }
    let (below, above) = TPESampler.split(trials, goal: .maximize)
    #expect(below.map(\.number) == [2, 4])  // γ(20) = 2
    #expect(above.suffix(3).map(\.number) == [0, 1, 3])
  }

  @Test func oldTrialsWeighLessOnceThereAreMoreThan25() {
    let trials = (0..<30).map {
      FinishedTrial(number: $0, parameters: [:], state: .complete, value: 0, budget: 1)
    }
    let weights = TPESampler.weighted(trials).map(\.weight)
    #expect(abs(weights[0] - 1.0 / 30) < 1e-12)
    #expect(weights[4] == 1 && weights[29] == 1)
    #expect(weights[0] < weights[1] && weights[1] < weights[3])
  }

  @Test func parzenDensitiesIntegrateToOne() {
    let estimator = ParzenEstimator(
      observations: [(0.1, 1), (0.15, 1), (0.9, 2)], low: 0, high: 1)
    let steps = 20_000
    let integral = (0..<steps).map { i in
      exp(estimator.logDensity((Double(i) + 0.5) / Double(steps))) / Double(steps)
    }.reduce(0, +)
    #expect(abs(integral - 1) < 1e-3)
  }
}

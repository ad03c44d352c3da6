import Testing
import TestSupport

@testable import PlaygroundTuning

/// The pruners on synthetic learning curves: trial *i* reaches `quality[i] · (1 − 1/(b+1))` after
/// b budget units, reported at b = 1…9.
@Suite(.onOneBackend) struct PrunerTests {
  static let quality: [Double] = [0.5, 0.9, 0.3, 0.8, 0.1, 0.95, 0.6, 0.2, 0.7]

  func curve(_ quality: Double, upTo budget: Int) -> [TrialProgress.Report] {
    (1...budget).map { .init(budget: Double($0), value: quality * (1 - 1 / Double($0 + 1))) }
  }

  /// Runs the trials one after another to the end or until pruned; returns the budget each used.
  func budgets(_ pruner: any Pruner) -> [Double] {
    var trials: [TrialProgress] = []
    for (number, quality) in Self.quality.enumerated() {
      var trial = TrialProgress(number: number)
      for report in curve(quality, upTo: 9) {
        trial.reports.append(report)
        if pruner.shouldPrune(&trial, others: trials, goal: .maximize) { break }
      }
      trial.isComplete = trial.reports.count == 9
      trials.append(trial)
    }
    return trials.map { $0.reports.last!.budget }
  }

  @Test func ashaPromotesAndStopsAsItsRungsSay() {
    // Rungs at 1, 3, 9 (η = 3). Rung 0 keeps the best ⌊n/3⌋ (at least 1) of those so far:
    // trial 0 alone → goes on; 1 (0.9 best of 2) → on; 2 (0.3 of 3: top 1 is 0.9) → stopped at 1;
    // 3 (0.8 of 4: top 1) → stopped; 4 → stopped; 5 (0.95, best) → on; 6 (0.6 of 7: top 2 are
    // 0.95, 0.9) → stopped; 7 → stopped; 8 (0.7 of 9: top 3 = 0.95, 0.9, 0.8) → stopped.
    // Rung 1 (budget 3): 0 alone → on to 9; 1 (best of 2) → on; 5 (best of 3) → on.
    let used = budgets(SuccessiveHalvingPruner(reductionFactor: 3))
    #expect(used == [9, 9, 1, 1, 1, 9, 1, 1, 1])
  }

  @Test func ashaRecordsTheRungsATrialReached() {
    var early = TrialProgress(number: 0)
    let pruner = SuccessiveHalvingPruner(reductionFactor: 3)
    for report in curve(0.5, upTo: 9) {
      early.reports.append(report)
      #expect(!pruner.shouldPrune(&early, others: [], goal: .maximize))
    }
    #expect(early.rungs.keys.sorted() == [0, 1, 2])
    #expect(early.rungs[1] == 0.5 * 0.75)  // its figure when it reached budget 3
    // One report far along passes every rung below it with that figure.
    var jump = TrialProgress(number: 3, reports: [.init(budget: 9, value: 0.6)])
    let fromOne = SuccessiveHalvingPruner(reductionFactor: 3, minimumBudget: 1)
    #expect(!fromOne.shouldPrune(&jump, others: [], goal: .maximize))
    #expect(jump.rungs == [0: 0.6, 1: 0.6, 2: 0.6])
    let others = [early, TrialProgress(number: 2, rungs: [0: 0.01, 1: 0.45])]
    // Best of three at rung 0 (0.3 against 0.25 and 0.01): goes on …
    var later = TrialProgress(number: 1, reports: [.init(budget: 1, value: 0.3)])
    #expect(!pruner.shouldPrune(&later, others: others, goal: .maximize))
    // … last of three at rung 1 (0.31 against 0.375 and 0.45): stops.
    later.reports.append(.init(budget: 2, value: 0.305))
    #expect(!pruner.shouldPrune(&later, others: others, goal: .maximize))
    later.reports.append(.init(budget: 3, value: 0.31))
    #expect(pruner.shouldPrune(&later, others: others, goal: .maximize))
    #expect(later.rungs == [0: 0.3, 1: 0.31])
  }

  @Test func ashaMinimizesToo() {
    var trial = TrialProgress(number: 1, reports: [.init(budget: 2, value: 5)])
    let pruner = SuccessiveHalvingPruner(reductionFactor: 2, minimumBudget: 2)
    let others = [TrialProgress(number: 0, rungs: [0: 3])]
    #expect(pruner.shouldPrune(&trial, others: others, goal: .minimize))
    var better = TrialProgress(number: 2, reports: [.init(budget: 2, value: 1)])
    #expect(!pruner.shouldPrune(&better, others: others, goal: .minimize))
  }

  @Test func theMedianRuleWaitsForItsStartupTrialsThenStopsTheWorseHalf() {
    let used = budgets(MedianPruner(startupTrials: 3))
    // Trials 0, 1, 2 complete (start-up). Trial 3 (0.8) beats the median of 0.5, 0.9, 0.3 →
    // completes; trial 4 (0.1) is below the median at budget 1 → stopped there; 5 (0.95) goes
    // on; 6 (0.6) against 0.5, 0.9, 0.3, 0.8, 0.95 (median 0.8) → stopped; 7 → stopped; 8 (0.7)
    // → stopped.
    #expect(used == [9, 9, 9, 9, 1, 9, 1, 1, 1])
  }

  @Test func noPrunerNeverStops() {
    #expect(budgets(NoPruner()).allSatisfy { $0 == 9 })
  }
}

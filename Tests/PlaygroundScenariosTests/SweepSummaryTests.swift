import PlaygroundRuns
import Testing
import TestSupport

@testable import PlaygroundScenarios

@Suite(.onOneBackend) struct SweepSummaryTests {
  @Test func spreadHoldsTheLastValueOfCurvesThatEndedEarly() {
    let long = LearningCurve(
      file: "eval.csv", xName: "step", yName: "r", x: [1, 2, 3], y: [1, 2, 3])
    let short = LearningCurve(file: "eval.csv", xName: "step", yName: "r", x: [1, 2], y: [3, 6])
    let spread = SweepSummary.spread([long, short])
    #expect(spread.map(\.x) == [1, 2, 3])
    #expect(spread.map(\.mean) == [2, 4, 4.5])
    #expect(spread.map(\.std) == [1, 2, 1.5])
  }
}

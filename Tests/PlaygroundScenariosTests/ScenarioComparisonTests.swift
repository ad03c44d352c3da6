import Foundation
import PlaygroundGenerative
import PlaygroundKinds
import PlaygroundScenarios
import TestSupport
import Testing

/// `compare:` — jobs of different kinds side by side with one budget and the same seeds.
@Suite(.onOneBackend) struct ScenarioComparisonTests {
  static func parse(_ text: String, settings: [String] = []) throws -> Scenario {
    try ScenarioFile.parse(
      text, source: ScenarioFileTests.scenarios.appendingPathComponent("test.yaml"),
      settings: settings)
  }

  static func problems(_ text: String, settings: [String] = []) -> [String] {
    do {
      _ = try parse(text, settings: settings)
      return []
    } catch let error as ScenarioProblems {
      return error.problems
    } catch {
      return ["\(error)"]
    }
  }

  static let ganBesideFlow = """
    description: both
    compare:
      - {kind: gan, dataset: mnist}
      - {kind: flow, dataset: mnist, label: flow-heun, overrides: {sampler: heun}}
    budget: {minutes: 2}
    seeds: [3, 4]
    """

  /// Each job with every seed, in file order, its budget the scenario's and its overrides its
  /// own; the label is the run's one setting.
  @Test func eachJobRunsWithEverySeedAndTheSharedBudget() throws {
    let scenario = try Self.parse(Self.ganBesideFlow)
    let runs = try scenario.runs()
    #expect(
      runs.map(\.label) == [
        "compare=gan seed=3", "compare=gan seed=4", "compare=flow-heun seed=3",
        "compare=flow-heun seed=4",
      ])
    let gan = try #require(runs[1].job as? GANRun)
    let flow = try #require(runs[2].job as? FlowRun)
    #expect(gan.config.minutes == 2 && gan.config.seed == 4)
    #expect(flow.config.minutes == 2 && flow.config.seed == 3 && flow.config.sampler == .heun)
    #expect(scenario.job is GANRun && scenario.jobs.count == 2)
    // The objectives both kinds have, for the sweep's intervals.
    #expect(
      Set(scenario.objectives.map(\.name)) == [
        "inception_score", "frechet_distance", "label_accuracy",
      ])
  }

  /// `--set` changes each job that has the setting, and is refused when none has it.
  @Test func commandLineSettingsGoToTheJobsThatHaveThem() throws {
    let scenario = try Self.parse(
      Self.ganBesideFlow, settings: ["widths=[8, 8, 8]", "batch_size=16"])
    let runs = try scenario.runs()
    let gan = try #require(runs[0].job as? GANRun)
    let flow = try #require(runs[2].job as? FlowRun)
    #expect(flow.config.widths == [8, 8, 8] && flow.config.batchSize == 16)
    #expect(gan.config.batchSize == 16)
    #expect(
      Self.problems(Self.ganBesideFlow, settings: ["episodes=3"]) == [
        "--set episodes=3: no compared job has the setting episodes"
      ])
  }

  @Test func everyProblemOfAComparisonIsReportedWithItsLine() {
    let problems = Self.problems(
      """
      kind: gan
      compare:
        - {kind: gan, dataset: mnist, colour: red}
        - {kind: flow, dataset: cifar}
        - {dataset: mnist}
        - {kind: gan}
      sweep: {batch_size: [1, 2]}
      """)
    #expect(problems.count == 6, "\(problems)")
    #expect(problems[0].hasPrefix("line 1: 'kind' does not go beside 'compare:'"))
    #expect(problems[1].hasPrefix("line 3: unknown key 'colour' in a compared job"))
    #expect(problems[2].hasPrefix("line 4: unknown dataset 'cifar'"))
    #expect(problems[3] == "line 5: a compared job needs 'kind'")
    #expect(
      problems[4] == "line 6: two compared jobs are labelled 'gan': give each its own label:")
    #expect(problems[5].hasPrefix("line 7: 'sweep' does not go beside 'compare:'"))
    #expect(
      Self.problems("compare:\n  - {kind: gan}\n") == [
        "line 2: 'compare' must be a list of two or more jobs, e.g. [{kind: gan, dataset: mnist}, {kind: flow, dataset: mnist}]"
      ])
  }
}

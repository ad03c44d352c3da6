import Foundation
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios
import PlaygroundTuning
import TestSupport
import Testing

/// The `search:` section of a scenario: read into a study, or refused with every problem and
/// its line.
@Suite(.onOneBackend) struct StudySettingsTests {
  static func parse(_ text: String) throws -> Scenario {
    try ScenarioFileTests.parse(text)
  }

  @Test func aSearchSectionBecomesAStudy() throws {
    let scenario = try Self.parse(
      """
      kind: rl
      environment: cartpole
      agent: dqn
      seed: 3
      search:
        learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}
        hidden_sizes: {choice: [[32, 32], [64, 64]]}
        target_update_interval: {int: [1, 2000], log: true}
        exploration_fraction: {uniform: [0.05, 0.5]}
      objective: {metric: solved_at_step}
      trials: 7
      sampler: random
      pruner: {type: asha, reduction_factor: 4, min_budget: 5000}
      """)
    let study = try #require(scenario.study)
    #expect(
      study.space.parameters.map(\.distribution) == [
        .logUniform(low: 1e-4, high: 1e-2), .choice(["[32, 32]", "[64, 64]"]),
        .integer(low: 1, high: 2000, log: true), .uniform(low: 0.05, high: 0.5),
      ])
    #expect(study.objective.name == "solved_at_step" && study.goal == .minimize)
    #expect(study.progressGoal == .maximize)  // pruned on the evaluations' returns
    #expect(study.trials == 7 && study.sampler == .random)
    #expect(study.pruner == .asha(reductionFactor: 4, minimumBudget: 5000))
    #expect(scenario.job.seed == 3)
  }

  @Test func theShippedStudiesAreValid() throws {
    for name in ["tune-cartpole-dqn", "tune-classifier", "tune-frozenlake"] {
      let scenario = try ScenarioFile.read(
        ScenarioFileTests.scenarios.appendingPathComponent("\(name).yaml"))
      #expect(scenario.study != nil, "\(name)")
    }
  }

  @Test func aBadSearchIsRefusedWithEveryProblemAndItsLine() {
    let problems = ScenarioFileTests.problems(
      """
      kind: rl
      environment: cartpole
      agent: dqn
      seed: 0
      search:
        learning_rat: {log_uniform: [1.0e-4, 1.0e-2]}
        learning_rate: {log_uniform: [0, 1.0e-2]}
        batch_size: {int: [64, 8]}
        hidden_sizes: {choice: [[32, 32], seven]}
        gamma: 0.9
        exploration_fraction: {uniform: [0.1, 0.5], log: true}
        tau: {uniform: [0.5, 2.0]}
      objective: {metric: accuracy, goal: maximize}
      trials: 0
      sampler: grid
      pruner: hyperband
      """)
    let expected = [
      "line 6: unknown setting 'learning_rat' to search",
      "line 7: search 'learning_rate': need low < high and 0 < low",
      "line 8: search 'batch_size': need low < high",
      "line 9:",  // the choice 'seven' is not a list of widths
      "line 10: unknown setting 'gamma' to search",
      "line 11: log: applies to int ranges",
      "line 12:",  // tau above 1
      "line 13: unknown metric 'accuracy' for this kind: use final_eval_mean_return, solved_at_step",
      "line 14: 'trials' is a whole number from 1 to 10000",
      "line 15: unknown sampler 'grid': use tpe or random",
      "line 16: unknown pruner: use asha, median or none",
    ]
    #expect(problems.count == expected.count, "\(problems)")
    for prefix in expected {
      #expect(problems.contains { $0.hasPrefix(prefix) }, "\(prefix) in \(problems)")
    }
  }

  @Test func aGoalAgainstTheMetricsDirectionAndStudyKeysWithoutASearchAreRefused() {
    let goal = ScenarioFileTests.problems(
      """
      kind: classify
      dataset: mnist
      search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}
      objective: {metric: test_accuracy, goal: minimize}
      """)
    #expect(goal == ["line 4: test_accuracy is better higher: goal maximize"])
    let orphan = ScenarioFileTests.problems(
      """
      kind: classify
      dataset: mnist
      trials: 5
      """)
    #expect(orphan == ["line 3: 'trials' belongs to a tuning study: add a search: section"])
    let both = ScenarioFileTests.problems(
      """
      kind: classify
      dataset: mnist
      sweep: {epochs: [1, 2]}
      search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}
      objective: {metric: test_accuracy}
      """)
    #expect(both.count == 1 && both[0].hasPrefix("line 3: a scenario either sweeps or searches"))
  }

  /// `over_seeds: iqm` makes a trial's value the IQM of its seeds' (a seed without a value:
  /// none), with the interval of the best trial; `median` the middle seeds'; anything but mean,
  /// median or iqm is refused.
  @Test func aTrialsSeedsAggregateAsAsked() throws {
    let scenario = try Self.parse(
      """
      kind: rl
      environment: cartpole
      seeds: [0, 1, 2, 3, 4, 5, 6, 7]
      search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}
      objective: {metric: solved_at_step, over_seeds: iqm}
      """)
    let study = try #require(scenario.study)
    #expect(study.overSeeds == .iqm)
    let values: [Double?] = [100, 9, 8, 7, 6, 5, 4, 0]
    #expect(study.value(overSeeds: values) == 6.5)  // 0 4 [5 6 7 8] 9 100
    #expect(study.value(overSeeds: values + [nil]) == nil)
    let interval = try #require(study.interval(overSeeds: values))
    #expect(interval.low <= 6.5 && 6.5 <= interval.high && interval.low < interval.high)
    // The median is the middle seeds' (rliable's median over one task would be the mean, 17.4).
    var median = study
    median.overSeeds = .median
    #expect(median.value(overSeeds: values) == 6.5)  // 0 4 5 6 | 7 8 9 100
    #expect(median.value(overSeeds: [3, 1, 20]) == 3)
    let medianInterval = try #require(median.interval(overSeeds: values))
    #expect(medianInterval.estimate == 6.5 && medianInterval.high < 17.4)
    let problems = ScenarioFileTests.problems(
      """
      kind: rl
      environment: cartpole
      search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}
      objective: {metric: solved_at_step, over_seeds: optimality_gap}
      """)
    #expect(problems == ["line 4: over_seeds is mean, median or iqm, got 'optimality_gap'"])
  }

  @Test func aStudyWithoutAFigureDuringTrainingCannotPrune() {
    let problems = ScenarioFileTests.problems(
      """
      kind: gan
      dataset: mnist
      search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}
      objective: {metric: label_accuracy}
      pruner: asha
      """)
    #expect(problems.count == 1 && problems[0].contains("known only at the end of a run"))
  }
}

/// `batched: true`: a scenario's seeds trained at once, where the kind can.
@Suite(.onOneBackend) struct BatchedScenarioTests {
  @Test func aBatchedScenarioKeepsItsSeeds() throws {
    let scenario = try ScenarioFileTests.parse(
      "kind: rl\nenvironment: cartpole\nseeds: [0, 1, 2]\nbatched: true\n")
    #expect(scenario.batched && scenario.seeds == [0, 1, 2])
    #expect(try !ScenarioFileTests.parse("kind: rl\nenvironment: cartpole\n").batched)
    // A study's trials may train their seeds at once, unpruned.
    let study = try ScenarioFileTests.parse(
      "kind: rl\nenvironment: frozenlake4x4\nseeds: [0, 1]\nbatched: true\nsearch: {learning_rate: {uniform: [0.1, 0.5]}}\nobjective: {metric: greedy_success_rate}\n"
    )
    #expect(study.batched && study.study != nil)
  }

  @Test(arguments: [
    ("kind: rl\nenvironment: cartpole\nbatched: true\n", "line 3: batched: true needs seeds"),
    (
      "kind: rl\nenvironment: cartpole\nagent: q-learning\nseeds: [1, 2]\nbatched: true\n",
      "line 5: batched: true trains seeds at once, which this kind cannot"
    ),
    (
      "kind: rl\nenvironment: cartpole\nseeds: [1, 2]\nsweep: {learning_rate: [0.001, 0.01]}\nbatched: true\n",
      "line 5: batched: true trains one setting's seeds"
    ),
    (
      "kind: rl\nenvironment: cartpole\nseeds: [1, 2]\nsearch: {learning_rate: {uniform: [0.001, 0.01]}}\nobjective: {metric: solved_at_step}\npruner: asha\nbatched: true\n",
      "line 6: a batched trial's seeds report nothing until they end"
    ),
  ])
  func aBatchThatCannotBeIsRefused(_ text: String, _ expected: String) {
    let problems = ScenarioFileTests.problems(text)
    #expect(problems.count == 1 && problems[0].hasPrefix(expected), "\(problems)")
  }
}

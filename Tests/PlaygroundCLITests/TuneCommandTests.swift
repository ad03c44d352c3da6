import Foundation
import TestSupport
import Testing

/// `playground tune`, as a user runs it, on FrozenLake 4×4 and CartPole (quick trials).
@Suite(.onOneBackend) struct TuneCommandTests {
  /// A study of Q-learning on FrozenLake 4×4: 300 episodes a trial, reports every 6.
  static func frozenLake(name: String = "lake", extra: String = "") -> String {
    """
    name: \(name)
    kind: rl
    environment: frozenlake4x4
    agent: q-learning
    budget: {episodes: 300}
    seed: 4
    search:
      learning_rate: {log_uniform: [0.01, 0.9]}
      exploration_fraction: {uniform: [0.1, 0.9]}
      epsilon_schedule: {choice: [linear, exponential]}
    objective: {metric: greedy_success_rate}
    trials: 6
    pruner: {type: asha, min_budget: 60}
    \(extra)
    """
  }

  /// A study of DQN on CartPole whose trials take a few seconds (30,000 steps; never solved
  /// early), two trials.
  static func cartPole(name: String) -> String {
    """
    name: \(name)
    kind: rl
    environment: cartpole
    agent: dqn
    budget: {steps: 30000}
    overrides: {evaluation_interval: 500, evaluation_episodes: 3, solved_return: 1000}
    seed: 0
    search:
      learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}
    objective: {metric: final_eval_mean_return}
    trials: 2
    """
  }

  static func write(_ text: String, in box: ClassifyCommandTests.Sandbox) throws -> URL {
    try FileManager.default.createDirectory(at: box.root, withIntermediateDirectories: true)
    let url = box.root.appendingPathComponent("study-\(UUID()).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  static func tune(_ file: URL, _ box: ClassifyCommandTests.Sandbox, _ extra: [String] = [])
    throws -> BinaryRunner.Outcome
  {
    try BinaryRunner.run(
      ["tune", file.path, "--output-dir", box.outputs.path, "--jobs", "1"] + extra,
      environment: box.environment)
  }

  /// trials.csv without its run folders (whose ids hold the time).
  static func trials(_ box: ClassifyCommandTests.Sandbox, _ name: String = "lake") throws
    -> [[String]]
  {
    try ScenarioCommandTests.csvRows(box.outputs.appendingPathComponent("\(name)/tune/trials.csv"))
      .map { Array($0.dropLast()) }
  }

  @Test func aStudyRunsItsTrialsAndHandsBackTheBest() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = try Self.write(Self.frozenLake(), in: box)
    let outcome = try Self.tune(file, box)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("6 trials: "), "\(outcome.standardOutput)")
    #expect(outcome.standardOutput.contains("best: trial "), "\(outcome.standardOutput)")
    let rows = try Self.trials(box)
    #expect(rows.count == 6)
    #expect(rows.allSatisfy { ["complete", "pruned"].contains($0[1]) }, "\(rows)")
    #expect(rows.contains { $0[1] == "pruned" }, "ASHA stops some: \(rows)")
    // A pruned trial used less budget and kept its run folder, marked pruned.
    for row in rows where row[1] == "pruned" { #expect(Double(row[3])! < 300) }
    let study = box.outputs.appendingPathComponent("lake")
    let summaries = try FileManager.default.contentsOfDirectory(atPath: study.path)
      .filter { $0.contains("seed4") }
      .compactMap {
        try? String(contentsOf: study.appendingPathComponent("\($0)/summary.json"), encoding: .utf8)
      }
    #expect(summaries.count == 6)
    #expect(
      summaries.filter { $0.contains("\"status\" : \"pruned\"") }.count
        == rows.filter { $0[1] == "pruned" }.count)
    for file in [
      "tune.png", "best.yaml", "report.html", "trials/trial-005.json", "logs/trial-005.log",
    ] {
      #expect(
        FileManager.default.fileExists(atPath: study.appendingPathComponent("tune/\(file)").path),
        "\(file)")
    }
    // The study's page links every trial's runs.
    let page = try String(
      contentsOf: study.appendingPathComponent("tune/report.html"), encoding: .utf8)
    #expect(page.components(separatedBy: "/report.html\">").count == 7, "one link per run")
    // best.yaml is an agents file a scenario accepts, and it holds the best trial's settings.
    let best = study.appendingPathComponent("tune/best.yaml")
    let bestText = try String(contentsOf: best, encoding: .utf8)
    let bestRow = rows.filter { $0[1] == "complete" }.max { Double($0[2])! < Double($1[2])! }!
    #expect(bestText.contains("learning_rate: \(bestRow[4])\n"), "\(bestText)")
    let rerun = try Self.write(
      "kind: rl\nenvironment: frozenlake4x4\nagent: \(best.path)\nname: again\n", in: box)
    let again = try BinaryRunner.run(
      ["run", rerun.path, "--output-dir", box.outputs.path, "--quiet"], environment: box.environment
    )
    #expect(again.status == 0, "\(again.standardError)")
    // inspect shows the table and the best.
    let inspect = try BinaryRunner.run(["inspect", study.path], environment: box.environment)
    #expect(inspect.status == 0)
    #expect(inspect.standardOutput.contains("study lake: 6 trials"), "\(inspect.standardOutput)")
    #expect(
      inspect.standardOutput.contains("best: trial \(bestRow[0])"), "\(inspect.standardOutput)")
  }

  /// `batched: true`: each trial's seeds train at once in its process, and the study is the
  /// same trial for trial as with the seeds one after the other (a grid-world seed's run is the
  /// same bytes either way).
  @Test func aBatchedStudyTrainsEachTrialsSeedsAtOnceAndFindsTheSameTrials() throws {
    let study = Self.frozenLake(name: "lakes")
      .replacingOccurrences(of: "seed: 4", with: "seeds: [4, 5, 6]")
      .replacingOccurrences(of: "trials: 6", with: "trials: 3")
      .replacingOccurrences(of: "pruner: {type: asha, min_budget: 60}", with: "pruner: none")
    let box = try ClassifyCommandTests.Sandbox()
    let batched = try Self.write(study + "batched: true\n", in: box)
    let outcome = try Self.tune(batched, box)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let together = try Self.trials(box, "lakes")
    #expect(together.count == 3 && together.allSatisfy { $0[1] == "complete" }, "\(together)")
    let folders = try FileManager.default.contentsOfDirectory(
      atPath: box.outputs.appendingPathComponent("lakes").path
    ).filter { $0.contains("-seed") }
    #expect(folders.count == 9, "\(folders)")
    try FileManager.default.removeItem(at: box.outputs)
    #expect(try Self.tune(try Self.write(study, in: box), box).status == 0)
    #expect(try Self.trials(box, "lakes") == together)
    let pruned = try Self.write(
      study.replacingOccurrences(of: "pruner: none", with: "pruner: asha") + "batched: true\n",
      in: box)
    let refused = try Self.tune(pruned, box)
    #expect(
      refused.status != 0 && refused.standardError.contains("nothing can be pruned"),
      "\(refused.standardError)")
  }

  /// With one trial at a time, the same seed gives the same trials; another seed others.
  @Test func theSameSeedGivesTheSameTrials() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = try Self.write(Self.frozenLake(), in: box)
    #expect(try Self.tune(file, box).status == 0)
    let first = try Self.trials(box)
    try FileManager.default.removeItem(at: box.outputs)
    #expect(try Self.tune(file, box).status == 0)
    #expect(try Self.trials(box) == first)
    let other = try Self.write(
      Self.frozenLake().replacingOccurrences(of: "seed: 4", with: "seed: 5"), in: box)
    try FileManager.default.removeItem(at: box.outputs)
    #expect(try Self.tune(other, box).status == 0)
    #expect(try Self.trials(box).map { $0[4] } != first.map { $0[4] })
  }

  /// Running it again with more trials extends it; a changed search is refused.
  @Test func moreTrialsExtendAStudyAndAChangedOneIsRefused() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = try Self.write(Self.frozenLake(), in: box)
    #expect(try Self.tune(file, box, ["--trials", "3"]).status == 0)
    let three = try Self.trials(box)
    let more = try Self.tune(file, box, ["--trials", "5"])
    #expect(more.status == 0)
    #expect(
      more.standardOutput.contains("3 of 5 trials done before: kept"), "\(more.standardOutput)")
    let five = try Self.trials(box)
    #expect(five.count == 5 && Array(five.prefix(3)) == three)
    let changed = try Self.write(
      Self.frozenLake().replacingOccurrences(of: "[0.01, 0.9]", with: "[0.02, 0.9]"), in: box)
    let refused = try Self.tune(changed, box)
    #expect(refused.status != 0)
    #expect(
      refused.standardError.contains("holds a study of other settings"), "\(refused.standardError)")
  }

  /// Ctrl-C stops a study: the trial in progress is recorded interrupted, the study exits 130
  /// saying how to continue, and running it again runs that trial again with its settings.
  @Test func anInterruptedStudyContinuesWhereItStopped() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = try Self.write(Self.cartPole(name: "pole"), in: box)
    let (process, errors) = try BinaryRunner.start(
      ["tune", file.path, "--output-dir", box.outputs.path, "--jobs", "1"],
      environment: box.environment)
    let study = box.outputs.appendingPathComponent("pole")
    #expect(waitUntil { !runsInProgress(study).isEmpty })
    // Ctrl-C at a terminal reaches the whole process group: the study and its trial.
    for trial in Self.processes(containing: [file.path, "--trial"]) { kill(trial, SIGINT) }
    kill(process.processIdentifier, SIGINT)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(message)")
    #expect(message.contains("study interrupted: run the same command again"), "\(message)")
    let recordURL = study.appendingPathComponent("tune/trials/trial-000.json")
    let record = try String(contentsOf: recordURL, encoding: .utf8)
    #expect(record.contains("\"state\" : \"interrupted\""), "\(record)")
    let rate = try #require(
      record.split(separator: "\n").first { $0.contains("\"learning_rate\" : \"") })
    #expect(runsInProgress(study).isEmpty, "nothing half-written stays")
    let again = try Self.tune(file, box)
    #expect(again.status == 0, "\(again.standardError)")
    #expect(again.standardOutput.contains("trial 0 started"), "\(again.standardOutput)")
    let finished = try String(contentsOf: recordURL, encoding: .utf8)
    #expect(finished.contains("\"state\" : \"complete\"") && finished.contains(rate), "\(finished)")
    #expect(try Self.trials(box, "pole").count == 2)
  }

  /// A second tune of a running study is refused; a trial killed without a word is recorded
  /// failed with how it ended, and the study goes on.
  @Test func aSecondTuneIsRefusedAndAKilledTrialIsRecordedFailed() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = try Self.write(Self.cartPole(name: "killed"), in: box)
    let (process, errors) = try BinaryRunner.start(
      ["tune", file.path, "--output-dir", box.outputs.path, "--jobs", "1"],
      environment: box.environment)
    let study = box.outputs.appendingPathComponent("killed")
    #expect(waitUntil { !runsInProgress(study).isEmpty })
    let second = try Self.tune(file, box)
    #expect(second.status != 0)
    #expect(second.standardError.contains("is running this study"), "\(second.standardError)")
    let trial = try #require(Self.processes(containing: [file.path, "--trial"]).first)
    kill(trial, SIGKILL)
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let rows = try Self.trials(box, "killed")
    #expect(rows.map { $0[1] } == ["failed", "complete"], "\(rows)")
    let record = try String(
      contentsOf: study.appendingPathComponent("tune/trials/trial-000.json"), encoding: .utf8)
    #expect(record.contains("exit status 9"), "\(record)")
    #expect(runsInProgress(study).isEmpty)
  }

  /// The ids of the processes whose command line holds every one of `parts`.
  static func processes(containing parts: [String]) -> [pid_t] {
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return ids.compactMap(pid_t.init).filter { id in
      guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else {
        return false
      }
      let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
      return parts.allSatisfy(line.contains)
    }
  }

  /// `run` refuses a study and `tune` a scenario without a search, each saying what to do.
  @Test func eachCommandRefusesTheOthersScenarios() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let study = try Self.write(Self.frozenLake(), in: box)
    let run = try BinaryRunner.run(["run", study.path, "--output-dir", box.outputs.path])
    #expect(
      run.status != 0 && run.standardError.contains("playground tune"), "\(run.standardError)")
    let plain = ScenarioCommandTests.scenarios.appendingPathComponent("rl-gridworld.yaml")
    let tune = try BinaryRunner.run(["tune", plain.path, "--output-dir", box.outputs.path])
    #expect(
      tune.status != 0 && tune.standardError.contains("has no search: section"),
      "\(tune.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }
}

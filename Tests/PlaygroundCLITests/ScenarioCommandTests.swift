import Foundation
import PlaygroundKinds
import TestSupport
import Testing
import Yams

/// `playground run` and `playground list`, as a user runs them.
@Suite(.onOneBackend) struct ScenarioCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let scenarios = root.appendingPathComponent("scenarios")

  /// Settings that make the scenario at `url` tiny: the smoke-test budget of the kind that
  /// claims its names (``NamedRunKind/smokeTest(scratch:)``), as `--set` arguments.
  /// A comparison's jobs (`compare:`) get the smoke-test budgets of all their kinds: `--set`
  /// changes each job that has the setting.
  static func tinyBudget(_ url: URL, box: ClassifyCommandTests.Sandbox) throws -> [String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    let mapping = try #require(try Yams.compose(yaml: text)?.mapping)
    let jobs = mapping["compare"]?.sequence?.compactMap(\.mapping) ?? [mapping]
    var overrides: [String: String] = [:]
    for job in jobs {
      let family = try #require(job["kind"]?.string.flatMap(RunFamily.init(rawValue:)))
      let claimants = RunKinds.claimants(
        family, subject: job[family.subjectKey]?.string, agent: job["agent"]?.string
      ) { path in
        let file = url.deletingLastPathComponent().appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
      }
      let kind = try #require(claimants.first, "\(url.lastPathComponent) names no kind")
      overrides.merge(try kind.smokeTest(scratch: box.root).overrides) { first, _ in first }
    }
    if jobs.count > 1 {
      // Compared generators are scored (on a few samples), so that their aggregates exist.
      overrides["quality_every"] = "1"
      overrides["quality_samples"] = "50"
    }
    return overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
  }

  static func csvRows(_ url: URL) throws -> [[String]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  /// Every shipped scenario runs on a tiny budget; sweeps leave sweep.csv and sweep.png.
  @Test(
    arguments: try! FileManager.default.contentsOfDirectory(atPath: scenarios.path).filter {
      $0.hasSuffix(".yaml")
    }.sorted())
  func everyExampleRuns(_ file: String) throws {
    let box = try ClassifyCommandTests.Sandbox()
    let url = Self.scenarios.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    let isStudy = text.contains("\nsearch:")
    if text.contains("init_from:") {
      // Transfer starts from the run of classify-mnist-cnn (outputs/ of the working folder).
      let first = try BinaryRunner.run(
        [
          "run", Self.scenarios.appendingPathComponent("classify-mnist-cnn.yaml").path,
          "--output-dir", box.outputs.path, "--data-dir", box.data.path, "--quiet", "--set",
          "epochs=1",
        ],
        in: box.root, environment: box.environment)
      #expect(first.status == 0, "\(first.standardError)")
    }
    let outcome = try BinaryRunner.run(
      (isStudy ? ["tune", url.path, "--trials", "2"] : ["run", url.path])
        + ["--output-dir", box.outputs.path, "--data-dir", box.data.path, "--quiet"]
        + Self.tinyBudget(url, box: box).flatMap { ["--set", $0] },
      in: box.root, environment: box.environment)
    #expect(outcome.status == 0, "\(file): \(outcome.standardError)")
    let name = String(file.dropLast(5))
    let folder = box.outputs.appendingPathComponent(name)
    if isStudy {
      let rows = try Self.csvRows(folder.appendingPathComponent("tune/trials.csv"))
      #expect(rows.count == 2 && rows.allSatisfy { $0[1] == "complete" }, "\(file): \(rows)")
      for output in ["tune.png", "best.yaml"] {
        #expect(
          FileManager.default.fileExists(
            atPath: folder.appendingPathComponent("tune/\(output)").path))
      }
      return
    }
    let runs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      !$0.hasPrefix(".") && $0 != "latest" && $0 != "sweep"
    }
    let isSweep = text.contains("seeds:") || text.contains("sweep:") || text.contains("compare:")
    if isSweep {
      let rows = try Self.csvRows(folder.appendingPathComponent("sweep/sweep.csv"))
      #expect(rows.count == runs.count && rows.count > 1, "\(file)")
      #expect(rows.allSatisfy { $0.contains("finished") }, "\(file): \(rows)")
      #expect(
        FileManager.default.fileExists(
          atPath: folder.appendingPathComponent("sweep/sweep.png").path))
      try Self.expectIntervals(in: folder.appendingPathComponent("sweep"), file)
    } else {
      #expect(runs.count == 1, "\(file)")
    }
    for run in runs {
      #expect(
        FileManager.default.fileExists(
          atPath: folder.appendingPathComponent("\(run)/report.html").path))
    }
  }

  /// A sweep's `aggregate.json` holds every setting's metrics with intervals around them, and
  /// its profiles beside it.
  static func expectIntervals(in sweep: URL, _ file: String) throws {
    let json = try JSONSerialization.jsonObject(
      with: Data(contentsOf: sweep.appendingPathComponent("aggregate.json")))
    let objectives = (json as? [String: Any])?["objectives"] as? [String: [String: [String: Any]]]
    #expect(objectives?.isEmpty == false, "\(file): \(json)")
    for (name, settings) in objectives ?? [:] {
      for (label, entry) in settings {
        for metric in ["mean", "median", "iqm"] {
          let interval = entry[metric] as? [String: Double] ?? [:]
          let (low, estimate, high) = (
            interval["low"] ?? .nan, interval["estimate"] ?? .nan, interval["high"] ?? .nan
          )
          #expect(
            low <= estimate && estimate <= high, "\(file) \(name) \(label) \(metric): \(interval)")
        }
      }
    }
    #expect(
      FileManager.default.fileExists(atPath: sweep.appendingPathComponent("profiles.png").path))
  }

  /// A run that fails is reported with how to re-run it alone; running the scenario again
  /// redoes only the runs that did not finish.
  @Test func failedRunsAreReportedAndOnlyUnfinishedRunsAreRedone() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("batch.yaml")
    // 300 training images: a batch of 1,000 passes validation but cannot run.
    try """
    description: two batch sizes
    kind: gan
    agent: gan
    overrides: {quality_every: 0, epochs: 1}
    sweep:
      batch_size: [32, 1000]
    """.write(to: file, atomically: true, encoding: .utf8)
    let arguments = [
      "run", file.path, "--output-dir", box.outputs.path, "--data-dir", box.data.path, "--jobs",
      "2",
    ]
    let first = try BinaryRunner.run(arguments, environment: box.environment)
    #expect(first.status != 0)
    #expect(first.standardError.contains("1 of 2 runs failed"), "\(first.standardError)")
    #expect(first.standardError.contains("batch_size 1000 exceeds the 300 training images"))
    #expect(first.standardError.contains("--job 1"))
    let sweep = box.outputs.appendingPathComponent("batch/sweep")
    let rows = try Self.csvRows(sweep.appendingPathComponent("sweep.csv"))
    #expect(rows.map { $0[3] } == ["finished", "failed"], "\(rows)")
    let state = try String(contentsOf: sweep.appendingPathComponent("state.json"), encoding: .utf8)
    #expect(state.contains("\"failed\""))

    let second = try BinaryRunner.run(arguments, environment: box.environment)
    #expect(second.standardOutput.contains("1 of 2 runs finished before: not redone"))
    #expect(second.standardError.contains("1 of 2 runs failed"))
    let alone = try BinaryRunner.run(
      [
        "run", file.path, "--job", "0", "--output-dir", box.outputs.path, "--data-dir",
        box.data.path, "--quiet",
      ], environment: box.environment)
    #expect(alone.status == 0, "\(alone.standardError)")
    let rerun = try Self.csvRows(sweep.appendingPathComponent("sweep.csv"))
    #expect(rerun.map { $0[3] } == ["finished", "failed"])
    #expect(rerun[0][4] != rows[0][4], "job 0's row points at the run made alone")
    let inspected = try BinaryRunner.run(["inspect", sweep.path])
    #expect(
      inspected.standardOutput.hasPrefix("sweep of batch: 2 runs"), "\(inspected.standardOutput)")
    let runs = try FileManager.default.contentsOfDirectory(
      atPath: box.outputs.appendingPathComponent("batch").path
    ).filter { $0.contains("seed") && !$0.hasPrefix(".") }
    #expect(runs.count == 2)
  }

  /// Ctrl-C stops a sweep: the runs in progress are told, recorded as interrupted, and the
  /// sweep exits 130 saying how to finish.
  @Test func controlCStopsASweep() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let (process, errors) = try BinaryRunner.start([
      "run", Self.scenarios.appendingPathComponent("cartpole-seeds.yaml").path, "--jobs", "1",
      "--set", "total_steps=5000000", "--set", "evaluation_interval=1000000",
      "--output-dir", box.outputs.path,
    ])
    // Ready: the first run has claimed its staging folder (it is training).
    let scenario = box.outputs.appendingPathComponent("cartpole-seeds")
    #expect(waitUntil { !runsInProgress(scenario).isEmpty })
    kill(process.processIdentifier, SIGINT)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(message)")
    #expect(message.contains("sweep interrupted: run the same command again"), "\(message)")
    let state = try String(
      contentsOf: box.outputs.appendingPathComponent("cartpole-seeds/sweep/state.json"),
      encoding: .utf8)
    #expect(state.contains("\"interrupted\""), "\(state)")
    // The interrupted run left no folder behind.
    let left = try FileManager.default.contentsOfDirectory(
      atPath: box.outputs.appendingPathComponent("cartpole-seeds").path)
    #expect(left == ["sweep"], "\(left)")
  }

  /// GAN runs interrupted with their sweep are resumed, not restarted, when it runs again.
  @Test func anInterruptedGANSweepResumesItsRuns() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("gans.yaml")
    try """
    description: two GAN seeds
    kind: gan
    agent: gan
    overrides: {quality_every: 0, epochs: 60, keep_best: false}
    seeds: [0, 1]
    """.write(to: file, atomically: true, encoding: .utf8)
    // 128 training images: two steps an epoch (batches of 64), so that the 60 epochs — seconds
    // of training, enough for both runs to be still training when the sweep is interrupted
    // after their first — cost little to finish.
    let data = box.root.appendingPathComponent("few")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try SyntheticDigits.writeIDX(prefix: "train", count: 128, seed: 1, into: data)
    try SyntheticDigits.writeIDX(prefix: "t10k", count: 20, seed: 2, into: data)
    let arguments = [
      "run", file.path, "--jobs", "2", "--output-dir", box.outputs.path, "--data-dir", data.path,
    ]
    let (process, _) = try BinaryRunner.start(arguments, environment: box.environment)
    let scenario = box.outputs.appendingPathComponent("gans")
    // Ready: both runs have finished an epoch (they are in their training loops).
    #expect(
      waitUntil {
        let running = runsInProgress(scenario)
        return running.count == 2
          && running.allSatisfy {
            FileManager.default.fileExists(
              atPath: $0.appendingPathComponent("samples/epoch-001.png").path)
          }
      })
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    let again = try BinaryRunner.run(arguments, environment: box.environment)
    #expect(again.status == 0, "\(again.standardError)")
    #expect(again.standardOutput.contains("resumed"), "\(again.standardOutput)")
    let runs = try FileManager.default.contentsOfDirectory(atPath: scenario.path).filter {
      $0.contains("seed")
    }
    #expect(runs.count == 2, "\(runs)")
    let rows = try Self.csvRows(scenario.appendingPathComponent("sweep/sweep.csv"))
    #expect(rows.map { $0[2] } == ["finished", "finished"], "\(rows)")
  }

  @Test func aBadScenarioListsEveryProblemAndRunsNothing() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("bad.yaml")
    try """
    kind: rl
    environment: cartpole
    budjet: {steps: 100}
    overrides:
      learning_rate: -1
    seeds: [0, x]
    """.write(to: file, atomically: true, encoding: .utf8)
    let outcome = try BinaryRunner.run(["run", file.path, "--output-dir", box.outputs.path])
    #expect(outcome.status != 0)
    let lines = outcome.standardError.split(separator: "\n")
    #expect(lines.first == "error: \(file.path) has 3 problems:", "\(outcome.standardError)")
    #expect(lines.count == 4)
    #expect(lines[1].hasPrefix("  line 3: unknown key 'budjet'"))
    #expect(lines[2] == "  line 5: learning_rate must be positive, got -1.0")
    #expect(lines[3].hasPrefix("  line 6: a seed must be a whole number"))
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
    let missing = try BinaryRunner.run(["run", "no-such-scenario"])
    #expect(missing.status != 0 && missing.standardError.contains("see 'playground list'"))
  }

  @Test func listShowsScenariosEnvironmentsAndAgents() throws {
    let outcome = try BinaryRunner.run(["list"], in: Self.root)
    #expect(outcome.status == 0)
    for expected in [
      "rl-cartpole", "gan-mnist", "frozenlake-learning-rates", "frozenlake8x8", "cliffwalking",
      "dqn", "expected-sarsa", "dcgan",
    ] {
      #expect(outcome.standardOutput.contains(expected), "\(expected)")
    }
  }
}

/// A sweep over learning rates where one diverges: that run is a result, not a failure.
@Suite(.onOneBackend) struct DivergedSweepTests {
  @Test func aDivergedRunIsKeptCountedAndNotRedone() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("rates.yaml")
    try """
    description: a sane and an absurd learning rate
    kind: rl
    environment: cartpole
    agent: dqn
    overrides: {total_steps: 1500, evaluation_episodes: 2}
    sweep:
      learning_rate: [0.00025, 1.0e+12]
    """.write(to: file, atomically: true, encoding: .utf8)
    let arguments = ["run", file.path, "--jobs", "2", "--output-dir", box.outputs.path]
    let first = try BinaryRunner.run(arguments)
    #expect(first.status == 0, "\(first.standardError)")
    #expect(
      first.standardOutput.contains(
        "job 1 (learning_rate=1.0e+12 seed=0): diverged: training diverged at step"),
      "\(first.standardOutput)")
    #expect(
      first.standardOutput.contains(
        "1 finished, 0 done before, 0 failed, 0 interrupted, 1 diverged"))
    let rows = try ScenarioCommandTests.csvRows(
      box.outputs.appendingPathComponent("rates/sweep/sweep.csv"))
    #expect(rows.map { $0[3] } == ["finished", "diverged"], "\(rows)")
    let kept = box.outputs.appendingPathComponent("rates/\(rows[1][4])")
    let metrics = try String(
      contentsOf: kept.appendingPathComponent("metrics.csv"), encoding: .utf8)
    #expect(metrics.split(separator: "\n").count > 10, "the episodes before it diverged")
    let again = try BinaryRunner.run(arguments)
    #expect(again.status == 0)
    #expect(again.standardOutput.contains("0 finished, 2 done before"), "\(again.standardOutput)")
  }
}

import Foundation
import TestSupport
import Testing

/// `playground rl cartpole` with the release binary.
@Suite(.onEveryBackend) struct CartPoleCommandTests {
  final class Outputs {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cartpole-\(UUID())")
    deinit { try? FileManager.default.removeItem(at: url) }

    func run(_ arguments: [String]) throws -> BinaryRunner.Outcome {
      try BinaryRunner.run(["rl", "cartpole", "--output-dir", url.path, "--quiet"] + arguments)
    }

    var runs: [URL] {
      let scenario = url.appendingPathComponent("rl-cartpole")
      let names = (try? FileManager.default.contentsOfDirectory(atPath: scenario.path)) ?? []
      return names.filter { $0 != "latest" }.sorted().map { scenario.appendingPathComponent($0) }
    }

    func summary(_ run: URL) throws -> [String: Any] {
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any] ?? [:]
    }
  }

  /// A renamed copy of the tabular baseline's agent file is still the tabular baseline, on the
  /// command line as in a scenario: agent files are told apart by their shape, not their name.
  @Test func aRenamedTabularAgentFileIsStillTheTabularBaseline() throws {
    let outputs = Outputs()
    try FileManager.default.createDirectory(at: outputs.url, withIntermediateDirectories: true)
    let copy = outputs.url.appendingPathComponent("my-baseline.yaml")
    try "agent:\n  episodes: 20\ndiscretization:\n  bins: [1, 1, 3, 4]\n".write(
      to: copy, atomically: true, encoding: .utf8)
    let outcome = try outputs.run(["--agent", copy.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let config = try String(
      contentsOf: outputs.runs[0].appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(config.contains("discretization:") && config.contains("episodes: 20"), "\(config)")
    #expect(try outputs.summary(outputs.runs[0])["agent"] as? String == "q-learning (discretised)")
  }

  @Test func aSmallBudgetWritesEveryFileAndRepeatsExactly() throws {
    let outputs = Outputs()
    #expect(try outputs.run(["--steps", "3000", "--seed", "2"]).status == 0)
    #expect(try outputs.run(["--steps", "3000", "--seed", "2"]).status == 0)
    let (first, second) = (outputs.runs[0], outputs.runs[1])
    let files = try EventRecords.names(in: first)
    #expect(
      files == [
        "config.yaml", "episode.png", "eval.csv", "events.out.tfevents.*", "learning_curve.png",
        "metrics.csv", "model.safetensors", "report.html", "summary.json",
      ])
    for file in ["metrics.csv", "eval.csv", "model.safetensors", "episode.png"] {
      #expect(
        try Data(contentsOf: first.appendingPathComponent(file))
          == Data(contentsOf: second.appendingPathComponent(file)), "\(file)")
    }
    let network = try outputs.summary(first)["network"] as? [String: Any]
    #expect(network?["layer_sizes"] as? [Int] == [4, 64, 64, 2])
    // The checkpoint replays in the terminal.
    let watch = try BinaryRunner.run([
      "rl", "cartpole", "--watch", first.appendingPathComponent("model.safetensors").path,
    ])
    #expect(watch.status == 0 && watch.standardOutput.contains("episode return"))
  }

  /// The issue's target: solved (≥ 475 over 100 greedy episodes) within 50,000 steps, 5 of 5 seeds.
  @Test func dqnSolvesCartPoleForFiveSeeds() throws {
    let outputs = Outputs()
    for seed in 0..<5 {
      let outcome = try outputs.run(["--seed", String(seed)])
      #expect(outcome.status == 0, "\(outcome.standardError)")
      let summary = try outputs.summary(outputs.runs.last!)
      #expect(
        summary["solved"] as? Bool == true,
        "seed \(seed): \(summary["final_eval_mean_return"] ?? "?")")
      #expect((summary["steps"] as? Int ?? .max) <= 50_000)
    }
  }

  @Test(arguments: [
    (["--steps", "0"], "total_steps must be positive, got 0"),
    (["--agent", "ppo"], "unknown agent 'ppo': use dqn"),
    (["--agent", "@small-buffer"], "buffer_size (8) must be at least batch_size (64)"),
    (["--agent", "@typo"], "unknown key 'gama'"),
    (["--watch", "@wrong-shape"], "is not a cart-pole Q-network: it maps 3 inputs to 2 outputs"),
  ])
  func badInputIsOneClearLine(_ arguments: [String], _ expected: String) throws {
    let outputs = Outputs()
    try FileManager.default.createDirectory(at: outputs.url, withIntermediateDirectories: true)
    let smallBuffer = outputs.url.appendingPathComponent("small.yaml")
    try Data("buffer_size: 8\n".utf8).write(to: smallBuffer)
    let typo = outputs.url.appendingPathComponent("typo.yaml")
    try Data("gama: 0.9\n".utf8).write(to: typo)
    // A safetensors file of a 3-input network.
    let wrong = outputs.url.appendingPathComponent("wrong.safetensors")
    let header =
      #"{"layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
    var json = Data(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    try (withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) } + json + Data(count: 32))
      .write(to: wrong)
    let resolved = arguments.map {
      ["@small-buffer": smallBuffer.path, "@typo": typo.path, "@wrong-shape": wrong.path][$0] ?? $0
    }
    let outcome = try outputs.run(resolved)
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains(expected)
        && outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
    #expect(outputs.runs.isEmpty)
  }
}

/// The discretised tabular baseline.
@Suite(.onOneBackend) struct CartPoleQLearningTests {
  @Test func discretisedQLearningReachesOneNinetyFive() throws {
    let outputs = CartPoleCommandTests.Outputs()
    let outcome = try outputs.run(["--agent", "q-learning", "--seed", "1"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let run = try #require(outputs.runs.last)
    let summary = try outputs.summary(run)
    #expect((summary["greedy_mean_return"] as? Double ?? 0) >= 195)
    let files = try EventRecords.names(in: run)
    #expect(
      files == [
        "config.yaml", "episode.png", "events.out.tfevents.*", "learning_curve.png", "metrics.csv",
        "q_table.csv", "report.html", "summary.json",
      ])
  }

  @Test func theAgentFileReadsAsTheDefaults() throws {
    let outputs = CartPoleCommandTests.Outputs()
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("agents/cartpole-q-learning.yaml")
    #expect(try outputs.run(["--agent", file.path]).status == 0)
    #expect(try outputs.run(["--agent", "q-learning"]).status == 0)
    let (a, b) = (outputs.runs[0], outputs.runs[1])
    #expect(
      try Data(contentsOf: a.appendingPathComponent("metrics.csv"))
        == Data(contentsOf: b.appendingPathComponent("metrics.csv")))
  }
}

/// `rl cartpole --seeds`: several DQNs trained at once, one run folder each and the batch's
/// aggregates; a seed's files equal those of the same seed trained alone.
@Suite(.onOneBackend) struct CartPoleSeedsCommandTests {
  static let tinyAgent = """
    total_steps: 1200
    hidden_sizes: [16, 16]
    batch_size: 16
    learning_starts: 100
    train_frequency: 16
    gradient_steps: 4
    evaluation_interval: 400
    evaluation_episodes: 4

    """

  @Test func seedsTrainAtOnceEachInItsOwnRunFolder() throws {
    let outputs = CartPoleCommandTests.Outputs()
    try FileManager.default.createDirectory(at: outputs.url, withIntermediateDirectories: true)
    let agent = outputs.url.appendingPathComponent("tiny.yaml")
    try Data(Self.tinyAgent.utf8).write(to: agent)
    let both = try outputs.run(["--agent", agent.path, "--seeds", "2-3"])
    #expect(both.status == 0, "\(both.standardError)")
    let runs = outputs.runs.filter { $0.lastPathComponent != "batch" }
    #expect(runs.count == 2)
    let batch = outputs.url.appendingPathComponent("rl-cartpole/batch")
    for file in ["summary.json", "aggregate.json", "curves.png"] {
      #expect(FileManager.default.fileExists(atPath: batch.appendingPathComponent(file).path))
    }
    let alone = CartPoleCommandTests.Outputs()
    #expect(try alone.run(["--agent", agent.path, "--seeds", "3"]).status == 0)
    let single = try #require(alone.runs.first { $0.lastPathComponent.hasSuffix("seed3") })
    let together = try #require(runs.first { $0.lastPathComponent.hasSuffix("seed3") })
    for file in ["metrics.csv", "eval.csv", "model.safetensors"] {
      #expect(
        try Data(contentsOf: single.appendingPathComponent(file))
          == Data(contentsOf: together.appendingPathComponent(file)), "\(file)")
    }
    // A scenario with batched: true trains its seeds the same way.
    let scenario = outputs.url.appendingPathComponent("batched.yaml")
    try Data(
      "kind: rl\nenvironment: cartpole\nagent: \(agent.path)\nseeds: [3]\nbatched: true\n".utf8
    ).write(to: scenario)
    let scenarioOutputs = CartPoleCommandTests.Outputs()
    let run = try BinaryRunner.run([
      "run", scenario.path, "--output-dir", scenarioOutputs.url.path, "--quiet",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let batchedRun = scenarioOutputs.url.appendingPathComponent("batched")
    let seed3 = try FileManager.default.contentsOfDirectory(atPath: batchedRun.path).first {
      $0.hasSuffix("seed3")
    }
    #expect(
      try Data(contentsOf: batchedRun.appendingPathComponent("\(seed3 ?? "?")/metrics.csv"))
        == Data(contentsOf: single.appendingPathComponent("metrics.csv")))
    let bad = try outputs.run(["--seeds", "3-1"])
    #expect(bad.status != 0 && bad.standardError.contains("--seeds"), "\(bad.standardError)")
  }
}

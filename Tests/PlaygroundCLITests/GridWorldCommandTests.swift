import Foundation
import TestSupport
import Testing

/// `playground rl gridworld` with the release binary: the targets of the issue on fixed seeds,
/// and bad input.
@Suite(.onOneBackend) struct GridWorldCommandTests {
  final class Outputs {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rl-\(UUID())")
    deinit { try? FileManager.default.removeItem(at: url) }

    func run(_ arguments: [String]) throws -> (BinaryRunner.Outcome, [String: Any]?) {
      let outcome = try BinaryRunner.run(
        ["rl", "gridworld", "--output-dir", url.path, "--quiet"] + arguments)
      let summary = url.appendingPathComponent("rl-gridworld/latest/summary.json")
      let object = (try? Data(contentsOf: summary)).flatMap {
        try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
      }
      return (outcome, object)
    }
  }

  /// `--seeds`: every seed's agent at once, each seed's folder the same as its run alone
  /// (the episodes, the table, the pictures), and the batch's aggregates beside them.
  @Test func seedsTrainAtOnceEachTheSameAsAlone() throws {
    let together = Outputs()
    let (batch, _) = try together.run([
      "--map", "frozenlake4x4", "--episodes", "2000", "--seeds", "0-2",
    ])
    #expect(batch.status == 0, "\(batch.standardError)")
    let folder = together.url.appendingPathComponent("rl-gridworld")
    let runs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix("-seed1") || $0.hasSuffix("-seed0") || $0.hasSuffix("-seed2")
    }
    #expect(runs.count == 3, "\(runs)")
    for file in ["summary.json", "aggregate.json", "profiles.png"] {
      #expect(
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("batch/\(file)").path))
    }
    let alone = Outputs()
    let (single, _) = try alone.run(["--map", "frozenlake4x4", "--episodes", "2000", "--seed", "1"])
    #expect(single.status == 0, "\(single.standardError)")
    let seed1 = try #require(runs.first { $0.hasSuffix("-seed1") })
    for file in ["metrics.csv", "q_table.csv", "policy.png", "values.png", "config.yaml"] {
      #expect(
        try Data(contentsOf: folder.appendingPathComponent("\(seed1)/\(file)"))
          == Data(contentsOf: alone.url.appendingPathComponent("rl-gridworld/latest/\(file)")),
        "\(file)")
    }
    let (both, _) = try Outputs().run(["--seeds", "0-1", "--seed", "3"])
    #expect(both.status != 0 && both.standardError.contains("drop --seed"))
  }

  @Test func frozenLake8x8ReachesEightyFivePercent() throws {
    let (outcome, summary) = try Outputs().run(["--map", "frozenlake8x8", "--seed", "0"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let success = summary?["greedy_success_rate"] as? Double ?? 0
    #expect(success >= 0.85, "greedy success \(success) (optimum within 200 steps 0.913)")
    #expect(abs((summary?["best_success_within_step_limit"] as? Double ?? 0) - 0.913) < 1e-3)
  }

  @Test func frozenLake4x4ReachesSeventyPercent() throws {
    let (outcome, summary) = try Outputs().run([
      "--map", "frozenlake4x4", "--episodes", "20000", "--seed", "0",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let success = summary?["greedy_success_rate"] as? Double ?? 0
    #expect(success >= 0.70, "greedy success \(success) (optimum within 100 steps 0.744)")
  }

  @Test func cliffWalkingQLearningIsOptimalAndSarsaSafer() throws {
    let outputs = Outputs()
    let (q, qSummary) = try outputs.run([
      "--map", "cliffwalking", "--agent", "q-learning", "--episodes", "3000",
    ])
    #expect(q.status == 0, "\(q.standardError)")
    #expect(qSummary?["greedy_mean_return"] as? Double == -13)
    let (s, sSummary) = try outputs.run([
      "--map", "cliffwalking", "--agent", "sarsa", "--episodes", "3000",
    ])
    #expect(s.status == 0, "\(s.standardError)")
    let sarsaReturn = sSummary?["greedy_mean_return"] as? Double ?? 0
    // The safer path keeps a row away from the cliff: longer, never falling.
    #expect(sarsaReturn < -13 && sarsaReturn > -30, "SARSA return \(sarsaReturn)")
    #expect(sSummary?["greedy_success_rate"] as? Double == 1)
  }

  @Test(arguments: [
    ("SFF\nFFF\n", "the map needs a goal G"),
    ("FFG\nFFF\n", "the map needs exactly one start S"),
    ("SFF\nFG\n", "map row 2 has 2 cells, row 1 has 3"),
    ("SFQ\nFFG\n", "unknown cell 'Q'"),
  ])
  func badMapsAreOneLine(_ map: String, _ expected: String) throws {
    let outputs = Outputs()
    try FileManager.default.createDirectory(at: outputs.url, withIntermediateDirectories: true)
    let file = outputs.url.appendingPathComponent("map.txt")
    try Data(map.utf8).write(to: file)
    let (outcome, _) = try outputs.run(["--map", file.path])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains(expected)
        && outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
    #expect(
      !FileManager.default.fileExists(
        atPath: outputs.url.appendingPathComponent("rl-gridworld").path))
  }

  @Test(arguments: [
    (["--agent", "dqn"], "unknown agent 'dqn': use q-learning, sarsa, expected-sarsa"),
    (["--map", "lava"], "unknown map 'lava'"),
    (["--episodes", "0"], "episodes must be at least 1, got 0"),
    (["--map", "@slip"], "slip_probability must be in [0, 1], got 1.5"),
  ])
  func badOptionsAreOneLine(_ arguments: [String], _ expected: String) throws {
    let outputs = Outputs()
    try FileManager.default.createDirectory(at: outputs.url, withIntermediateDirectories: true)
    let slip = outputs.url.appendingPathComponent("slip.yaml")
    try Data("map: |\n  SFG\nslip_probability: 1.5\n".utf8).write(to: slip)
    let (outcome, _) = try outputs.run(arguments.map { $0 == "@slip" ? slip.path : $0 })
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains(expected)
        && outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
  }
}

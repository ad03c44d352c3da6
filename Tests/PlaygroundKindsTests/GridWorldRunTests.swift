import Foundation
import PlaygroundAgents
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundKinds
import PlaygroundRuns
import TestSupport
import Testing

@Suite(.onOneBackend) struct GridWorldRunTests {
  static func config(episodes: Int = 500, seed: UInt64 = 1) -> GridWorldRunConfig {
    var agent = TabularAgentConfig()
    agent.episodes = episodes
    agent.evaluationEpisodes = 50
    agent.seed = seed
    return GridWorldRunConfig(environment: GridWorldCatalog.frozenLake4x4, agent: agent)
  }

  @Test func aRunWritesEveryFileAndRepeatsExactly() throws {
    let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID())")
    defer { try? FileManager.default.removeItem(at: outputs) }
    let job = GridWorldRun(config: Self.config())
    let context = RunContext(
      scenario: job.defaultName, outputDirectory: outputs,
      sources: DataSources.fromEnvironment(), quiet: true, say: { _ in })
    let first = try job.run(in: context)
    let files = try EventRecords.names(in: first)
    #expect(
      files == [
        "config.yaml", "events.out.tfevents.*", "learning_curve.png", "metrics.csv", "policy.png",
        "q_table.csv", "report.html", "summary.json", "values.png",
      ])
    let qTable = try String(
      contentsOf: first.appendingPathComponent("q_table.csv"), encoding: .utf8)
    #expect(qTable.hasPrefix("state,left,down,right,up\n0,"))
    #expect(qTable.split(separator: "\n").count == 17)
    let metrics = try String(
      contentsOf: first.appendingPathComponent("metrics.csv"), encoding: .utf8)
    #expect(metrics.hasPrefix("episode,return,length,epsilon,success\n1,"))
    #expect(metrics.split(separator: "\n").count == 501)
    // The config file reads back to the same settings, and the same seed repeats the run.
    let reread = try GridWorldRunConfig.read(first.appendingPathComponent("config.yaml"))
    #expect(reread == Self.config())
    let second = try GridWorldRun(config: reread).run(in: context)
    for file in ["metrics.csv", "q_table.csv", "policy.png", "values.png", "learning_curve.png"] {
      #expect(
        try Data(contentsOf: first.appendingPathComponent(file))
          == Data(contentsOf: second.appendingPathComponent(file)), "\(file)")
    }
  }

  @Test func runConfigIsStrict() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID()).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("environment:\n  name: x\nagents:\n  episodes: 3\n".utf8).write(to: url)
    #expect { try GridWorldRunConfig.read(url) } throws: {
      "\($0)".contains("(line 3): unknown key 'agents'")
    }
    try Data("agent:\n  episodes: 3\n  epsilon: 0.1\n".utf8).write(to: url)
    #expect { try GridWorldRunConfig.read(url) } throws: {
      "\($0)".contains("(line 3): unknown key 'epsilon'")
    }
  }

  /// Big maps get smaller cells: a picture stays about 1,536 pixels across (a 200×200 map drew
  /// 9,600-pixel pictures whose compression took 90% of a run); small maps keep 48-pixel cells.
  @Test func bigMapsDrawSmallerCells() throws {
    for (side, expected) in [
      (4, 4 * 48 + 2), (32, 32 * 48 + 2), (60, 60 * 25 + 2), (200, 200 * 7 + 2),
    ] {
      let world = try GridWorld(openGridMap(side: side))
      let policy = GridWorldPictures.policy(
        world, policy: Array(repeating: 0, count: side * side), title: "T")
      #expect(policy.width == expected, "\(side)×\(side)")
      let values = GridWorldPictures.values(
        world, learned: Array(repeating: 0, count: side * side),
        optimal: Array(repeating: 1, count: side * side))
      #expect(values.width == 2 * expected + 16)
    }
  }
}

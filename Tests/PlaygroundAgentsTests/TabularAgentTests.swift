import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundEnvironments
import PlaygroundRandom
import Testing
import TestSupport

@Suite(.onOneBackend) struct TabularAgentTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test(arguments: TabularAlgorithm.allCases)
  func agentFilesMirrorTheConfigStruct(_ algorithm: TabularAlgorithm) throws {
    let url = Self.repository.appendingPathComponent("agents/\(algorithm.rawValue).yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
      .map { String($0.split(separator: ":")[0]) }
    #expect(keys == TabularAgentConfig.keys)
    var expected = TabularAgentConfig()
    expected.algorithm = algorithm
    #expect(try TabularAgentConfig.read(url, defaults: TabularAgentConfig()) == expected)
  }

  @Test(arguments: GridWorldCatalog.builtIn.keys.sorted())
  func environmentFilesEqualTheBuiltInWorlds(_ name: String) throws {
    let url = Self.repository.appendingPathComponent("environments/\(name).yaml")
    let fromFile = try GridWorldCatalog.settings(for: url.path)
    let builtIn = GridWorldCatalog.builtIn[name]!
    #expect(fromFile.map.trimmingCharacters(in: .whitespacesAndNewlines) == builtIn.map)
    var normalized = fromFile
    normalized.map = builtIn.map
    #expect(normalized == builtIn)
  }

  @Test func schedules() {
    #expect(Schedule.linear.value(start: 1, end: 0, progress: 0.25) == 0.75)
    #expect(abs(Schedule.exponential.value(start: 1, end: 0.01, progress: 0.5) - 0.1) < 1e-12)
    #expect(Schedule.constant.value(start: 0.3, end: 0, progress: 0.9) == 0.3)
    #expect(Schedule.linear.value(start: 1, end: 0, progress: 7) == 0)
  }

  /// One update of each rule from hand-computed targets.
  /// Targets with γ = ½ and Q(next) = [2, 4]: Q-learning 1 + ½·4; SARSA (next action 0)
  /// 1 + ½·2; expected SARSA with ε = ½: 1 + ½·(¼·2 + ¼·4 + ½·4).
  @Test(arguments: zip([TabularAlgorithm.qLearning, .sarsa, .expectedSarsa], [3.0, 2.0, 2.75]))
  func updateRules(_ algorithm: TabularAlgorithm, _ target: Double) {
    var config = TabularAgentConfig()
    config.algorithm = algorithm
    config.discount = 0.5
    let agent = TabularAgent(
      stateCount: 2, actionCount: 2, config: config, generator: RandomGenerator(seed: 0))
    // Make Q(1) = [2, 4] through terminal updates with step size 1.
    agent.update(
      state: 1, action: 0, reward: 2, nextState: 0, nextAction: 0, terminated: true,
      learningRate: 1, epsilon: 0)
    agent.update(
      state: 1, action: 1, reward: 4, nextState: 0, nextAction: 0, terminated: true,
      learningRate: 1, epsilon: 0)
    agent.update(
      state: 0, action: 0, reward: 1, nextState: 1, nextAction: 0, terminated: false,
      learningRate: 1, epsilon: 0.5)
    #expect(abs(agent.q[0][0] - target) < 1e-12)
    // A terminated step does not bootstrap; a truncated one does (the caller passes terminated).
    agent.update(
      state: 0, action: 1, reward: 1, nextState: 1, nextAction: 1, terminated: true,
      learningRate: 1, epsilon: 0)
    #expect(agent.q[0][1] == 1)
  }

  @Test func sameSeedSameTable() throws {
    func train() throws -> [[Double]] {
      var config = TabularAgentConfig()
      config.episodes = 300
      let env = try GridWorld.make(GridWorldCatalog.frozenLake4x4)
      let agent = TabularAgent(
        stateCount: 16, actionCount: 4, config: config, generator: RandomGenerator(seed: 5))
      try TabularTrainer.train(env, agent: agent, generator: RandomGenerator(seed: 5))
      return agent.q
    }
    #expect(try train() == train())
  }

  @Test(arguments: [
    ("episodes: 0\n", "episodes must be at least 1, got 0"),
    ("discount: 1.5\n", "discount must be in [0, 1], got 1.5"),
    ("algorithm: dqn\n", "algorithm must be q-learning, sarsa or expected-sarsa, got 'dqn'"),
    ("epsilon_end: 0\n", "an exponential epsilon_schedule needs"),
    ("learning_rat: 0.1\n", "unknown key 'learning_rat'"),
  ])
  func badSettings(_ yaml: String, _ expected: String) {
    #expect {
      try TabularAgentConfig.decode(yaml: yaml, source: "x", defaults: TabularAgentConfig())
    } throws: { "\($0)".contains(expected) }
  }
}

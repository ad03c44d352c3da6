import Foundation
import PlaygroundAgents
import PlaygroundClassifier
import PlaygroundEnvironments
import PlaygroundGenerative
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios
import Testing
import TestSupport

@Suite(.onOneBackend) struct ScenarioFileTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let scenarios = root.appendingPathComponent("scenarios")

  static func parse(_ text: String) throws -> Scenario {
    try ScenarioFile.parse(text, source: scenarios.appendingPathComponent("test.yaml"))
  }

  static func problems(_ text: String) -> [String] {
    do {
      _ = try parse(text)
      return []
    } catch let error as ScenarioProblems {
      return error.problems
    } catch {
      return ["\(error)"]
    }
  }

  /// Each built-in command is a shorthand for its scenario: the same job, setting for setting.
  @Test func builtInScenariosAreTheCommandsDefaults() throws {
    let expected: [(String, any NamedRunKind)] = [
      ("classify-mnist", ClassifierRun(config: ClassifierConfig())),
      (
        "rl-gridworld",
        GridWorldRun(
          config: GridWorldRunConfig(
            environment: GridWorldCatalog.frozenLake8x8, agent: TabularAgentConfig()))
      ),
      ("rl-cartpole", CartPoleRun(environment: CartPoleSettings(), agent: DQNConfig())),
      ("gan-mnist", GANRun(config: GANConfig())),
    ]
    for (name, job) in expected {
      let scenario = try ScenarioFile.read(Self.scenarios.appendingPathComponent("\(name).yaml"))
      #expect(scenario.name == job.defaultName)
      #expect(try scenario.job.configYAML() == job.configYAML(), "\(name)")
      #expect(try scenario.runs().count == 1)
    }
  }

  @Test func everyShippedScenarioIsValid() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.scenarios.path).filter {
      $0.hasSuffix(".yaml")
    }
    #expect(files.count >= 8)
    for file in files {
      let scenario = try ScenarioFile.read(Self.scenarios.appendingPathComponent(file))
      #expect(!scenario.summary.isEmpty, "\(file) has a description")
      #expect(try !scenario.runs().isEmpty)
    }
  }

  @Test func sweepsExpandEverySettingWithEverySeed() throws {
    let scenario = try Self.parse(
      """
      kind: rl
      environment: frozenlake4x4
      agent: sarsa
      budget: {episodes: 300}
      overrides: {discount: 0.95}
      sweep:
        learning_rate: [0.3, 0.1]
        epsilon_end: [0.01, 0.1, 0.2]
      seeds: [4, 5]
      """)
    let runs = try scenario.runs()
    #expect(runs.count == 12)
    #expect(runs.map(\.index) == Array(0..<12))
    #expect(runs[0].label == "learning_rate=0.3 epsilon_end=0.01 seed=4")
    #expect(runs[1].label == "learning_rate=0.3 epsilon_end=0.01 seed=5")
    #expect(runs[11].label == "learning_rate=0.1 epsilon_end=0.2 seed=5")
    #expect(runs[3].settingLabel == "learning_rate=0.3 epsilon_end=0.1")
    guard let config = (runs[11].job as? GridWorldRun)?.config else {
      Issue.record("not a grid-world job")
      return
    }
    #expect(config.agent.algorithm == .sarsa)
    #expect(config.agent.learningRate == 0.1 && config.agent.epsilonEnd == 0.2)
    #expect(config.agent.seed == 5 && config.agent.episodes == 300 && config.agent.discount == 0.95)
    #expect(config.environment == GridWorldCatalog.frozenLake4x4)
  }

  @Test func everyProblemIsReportedWithItsLine() {
    let problems = Self.problems(
      """
      kind: rl
      environment: cartpole
      agent: dqn
      budjet: {steps: 100}
      overrides:
        learning_rat: 0.1
        batch_size: 0
        double_dqn: maybe
      seeds: [0, -1]
      sweep:
        learning_rate: [0.001, -5]
        seed: [1, 2]
      """)
    #expect(problems.count == 7, "\(problems)")
    #expect(problems[0].hasPrefix("line 4: unknown key 'budjet'"))
    #expect(problems[1].hasPrefix("line 6: unknown key 'learning_rat'"))
    #expect(problems[2] == "line 7: batch_size must be positive, got 0")
    #expect(problems[3] == "line 8: 'double_dqn' must be true or false")
    #expect(problems[4].hasPrefix("line 9: a seed must be a whole number"))
    #expect(problems[5] == "line 11: learning_rate must be positive, got -5.0")
    #expect(problems[6] == "line 12: sweep seeds with 'seeds: [...]' instead")
  }

  @Test(arguments: [
    ("kind: rl\nenvironment: nowhere.txt\n", "line 2: unknown map 'nowhere.txt'"),
    ("kind: gan\ndataset: cifar\n", "line 2: unknown dataset 'cifar'"),
    ("kind: gan\nagent: missing.yaml\n", "line 2: unknown agent 'missing.yaml'"),
    ("kind: painting\n", "line 1: unknown kind 'painting'"),
    ("agent: dqn\n", "'kind' is missing"),
    ("kind: rl\n", "'environment' is missing"),
    ("kind: classify\nenvironment: cartpole\n", "line 2: 'environment' does not apply"),
    (
      "kind: rl\nenvironment: cartpole\nbudget: {episodes: 3}\n",
      "line 3: unknown budget 'episodes'"
    ),
    ("kind: rl\nenvironment: cartpole\nseed: 1\nseeds: [2]\n", "give 'seed' or 'seeds'"),
    ("kind: rl\nenvironment: cartpole\nseeds: [2, 2]\n", "lists a seed twice"),
    ("kind: rl\nenvironment: cartpole\nname: ../x\n", "'name' becomes a folder name"),
    (
      "kind: rl\nenvironment: cartpole\noverrides: {buffer_size: 10, batch_size: 64}\n",
      "buffer_size"
    ),
    ("kind: [rl\n", "not valid YAML"),
  ])
  func badScenarios(_ text: String, _ expected: String) {
    let problems = Self.problems(text)
    #expect(problems.contains { $0.contains(expected) }, "\(problems)")
  }

  @Test func pathsResolveBesideTheScenarioAndCommandLineSettingsComeLast() throws {
    let scenario = try ScenarioFile.parse(
      """
      kind: rl
      environment: environments/cartpole.yaml
      agent: agents/cartpole-q-learning.yaml
      budget: {episodes: 30}
      """, source: Self.scenarios.appendingPathComponent("test.yaml"),
      settings: ["episodes=40", "learning_rate=0.2"])
    guard let job = scenario.job as? CartPoleQLearningRun else {
      Issue.record("not the tabular cart-pole job")
      return
    }
    #expect(job.environment == CartPoleSettings())
    #expect(job.agent.episodes == 40 && job.agent.learningRate == 0.2)
    #expect(
      Self.problems("kind: rl\nenvironment: cartpole\n").isEmpty
        && (try? ScenarioFile.parse(
          "kind: rl\nenvironment: cartpole\n", source: Self.scenarios, settings: ["oops"])) == nil
    )
  }
}

import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import Testing
import TestSupport

@Suite(.onEveryBackend) struct DQNTests {
  @Test func agentFileMirrorsTheConfigStruct() throws {
    let url = TabularAgentTests.repository.appendingPathComponent("agents/dqn.yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
      .map { String($0.split(separator: ":")[0]) }
    #expect(keys == DQNConfig.keys)
    #expect(try DQNConfig.read(url, defaults: DQNConfig()) == DQNConfig())
    // The written YAML reads back exactly.
    #expect(
      try DQNConfig.decode(yaml: DQNConfig().yaml(), source: "x", defaults: DQNConfig())
        == DQNConfig())
  }

  @Test(arguments: [
    ("total_steps: 0\n", "total_steps must be positive, got 0"),
    ("buffer_size: 10\nbatch_size: 64\n", "buffer_size (10) must be at least batch_size (64)"),
    ("loss: l1\n", "loss must be huber or mse, got 'l1'"),
    ("hidden_sizes: []\n", "hidden_sizes must list positive widths"),
    ("learnin_rate: 1\n", "unknown key 'learnin_rate'"),
  ])
  func badSettings(_ yaml: String, _ expected: String) {
    #expect { try DQNConfig.decode(yaml: yaml, source: "x", defaults: DQNConfig()) } throws: {
      "\($0)".contains(expected)
    }
  }

  @Test func replayBufferIsARingWithUniformSampling() {
    var buffer = ReplayBuffer(capacity: 3, observationSize: 1)
    for k in 0..<5 {
      buffer.add(
        observation: [Float(k)], action: k % 2, reward: Double(k), nextObservation: [Float(k + 1)],
        terminated: k == 4)
    }
    #expect(buffer.count == 3)
    let batch = buffer.sample(3000, generator: RandomGenerator(seed: 1))
    // Only the last three transitions remain, each drawn about a third of the time.
    #expect(Set(batch.observations) == [2, 3, 4])
    for value: Float in [2, 3, 4] {
      #expect((900...1100).contains(batch.observations.filter { $0 == value }.count))
    }
    for (k, observation) in batch.observations.enumerated() {
      #expect(batch.nextObservations[k] == observation + 1 && batch.rewards[k] == observation)
      #expect(batch.terminals[k] == (observation == 4 ? 1 : 0))
    }
  }

  @Test func networkSizesComeFromTheEnvironment() {
    var config = DQNConfig()
    config.hiddenSizes = [8, 5]
    let agent = DQNAgent(
      observationSize: 6, actionCount: 3, config: config, generator: RandomGenerator(seed: 0))
    #expect(
      agent.online.namedParameters.map(\.tensor.shape) == [
        [8, 6], [8], [5, 8], [5], [3, 5], [3],
      ])
    #expect(agent.target.parameters.map(\.scalars) == agent.online.parameters.map(\.scalars))
  }

  /// A one-state problem with reward 1 per step: terminal transitions must learn Q → 1, while
  /// transitions that merely were truncated keep bootstrapping (Q → 1/(1 − γ)).
  @Test(arguments: [true, false])
  func onlyTerminationStopsTheBootstrap(_ terminated: Bool) {
    var config = DQNConfig()
    config.hiddenSizes = [4]
    config.batchSize = 8
    config.discount = 0.5
    config.learningRate = 0.02
    config.targetUpdateInterval = 1
    let agent = DQNAgent(
      observationSize: 1, actionCount: 1, config: config, generator: RandomGenerator(seed: 3))
    var buffer = ReplayBuffer(capacity: 8, observationSize: 1)
    for _ in 0..<8 {
      buffer.add(
        observation: [1], action: 0, reward: 1, nextObservation: [1], terminated: terminated)
    }
    for _ in 0..<1500 {
      agent.learn(from: buffer)
      agent.updateTarget()
    }
    let q = Double(agent.online(Tensor(shape: [1, 1], scalars: [1])).item)
    #expect(abs(q - (terminated ? 1 : 2)) < 0.05, "Q = \(q)")
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundEnvironments
import TestSupport
import Testing

/// Every CartPole-v1 trajectory of `gymnasium.json`, step by step.
@Suite(.onOneBackend) struct CartPoleTests {
  /// Decoded with `JSONDecoder`, which reads decimals exactly (`JSONSerialization` can be an
  /// ulp off, which the chaotic dynamics then magnify).
  struct Trajectory: Decodable {
    struct Step: Decodable {
      let action: Int
      let observation: [Float]
      let state64: [Double]
      let reward: Double
      let terminated: Bool
      let truncated: Bool
    }
    let policy: String
    let initial_state: [Double]
    let steps: [Step]
  }

  struct Fixture: Decodable {
    let cartpole_v1: [Trajectory]
  }

  static let trajectories: [Trajectory] = try! JSONDecoder().decode(
    Fixture.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("gymnasium.json"))
  ).cartpole_v1

  @Test(arguments: 0..<12)
  func reproducesGymnasium(_ index: Int) throws {
    let trajectory = Self.trajectories[index]
    let env = try CartPole.make()
    _ = env.reset(seed: 0)
    _ = env.wrapped.reset(state: trajectory.initial_state)
    for (number, expected) in trajectory.steps.enumerated() {
      let step = env.step(expected.action)
      #expect(
        step.observation == expected.observation, "\(trajectory.policy) step \(number) observation")
      let error = zip(env.wrapped.state, expected.state64).map { abs($0 - $1) }.max()!
      #expect(error < 1e-12, "\(trajectory.policy) step \(number): state64 error \(error)")
      #expect(step.reward == expected.reward)
      #expect(
        step.terminated == expected.terminated && step.truncated == expected.truncated,
        "\(trajectory.policy) step \(number) flags")
    }
  }

  @Test func followsTheEnvironmentContract() throws {
    try checkConformance { try CartPole.make() }
  }

  @Test func initialStatesAreSmallAndSeeded() throws {
    let env = try CartPole()
    let a = env.reset(seed: 3)
    #expect(a.allSatisfy { abs($0) <= 0.05 })
    #expect(env.reset(seed: 3) == a)
    #expect(env.reset(seed: 4) != a)
  }

  @Test func physicsFileEqualsTheDefaults() throws {
    let url = fixturesDirectory.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("environments/cartpole.yaml")
    #expect(try CartPoleSettings.read(url, defaults: CartPoleSettings()) == CartPoleSettings())
  }
}

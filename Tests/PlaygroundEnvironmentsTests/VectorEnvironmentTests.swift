import Foundation
import PlaygroundEnvironments
import PlaygroundRandom
import TestSupport
import Testing

/// Vector environments against the single environment (copy by copy, bit for bit) and against
/// Gymnasium's own vector CartPole (`gymnasium_vector.json`).
@Suite(.onOneBackend) struct VectorEnvironmentTests {
  /// One environment seeded `seed`, reset the step after an episode ends (next-step autoreset):
  /// what copy `seed − first` of a vector seeded `first` must do.
  final class AutoresetSingle<E: Environment> {
    let env: E
    var pendingReset = false
    init(_ env: E, seed: UInt64) {
      self.env = env
      _ = env.reset(seed: seed)
    }
    func step(_ action: Int) -> (E.Observation, Double, Bool, Bool) {
      if pendingReset {
        pendingReset = false
        return (env.reset(), 0, false, false)
      }
      let step = env.step(action)
      pendingReset = step.isDone
      return (step.observation, step.reward, step.terminated, step.truncated)
    }
  }

  /// A policy that keeps some poles up until the time limit (so copies are truncated as well as
  /// terminated): copy i balances for i % 3 == 0, acts at random otherwise.
  static func action(copy i: Int, observation: ArraySlice<Float>, random: RandomGenerator) -> Int {
    guard i % 3 == 0 else { return random.integer(below: 2) }
    let o = Array(observation)
    return o[2] * 10 + o[3] + o[1] * 0.1 > 0 ? 1 : 0
  }

  @Test func everyCartPoleCopyStepsLikeOneCartPoleSeededAlike() throws {
    var settings = CartPoleSettings()
    settings.stepLimit = 60
    let count = 9
    let vector = try VectorCartPole(count: count, settings: settings)
    vector.reset(seed: 40)
    let singles = try (0..<count).map {
      AutoresetSingle(try CartPole.make(settings), seed: 40 + UInt64($0))
    }
    for i in 0..<count {
      #expect(Array(vector.observations[4 * i..<4 * i + 4]) == singles[i].env.wrapped.observation)
    }
    let random = RandomGenerator(seed: 1)
    var (terminations, truncations) = (0, 0)
    for step in 0..<400 {
      let observations = vector.observations
      let actions = (0..<count).map {
        Self.action(copy: $0, observation: observations[4 * $0..<4 * $0 + 4], random: random)
      }
      vector.step(actions)
      for i in 0..<count {
        let (observation, reward, terminated, truncated) = singles[i].step(actions[i])
        #expect(
          Array(vector.observations[4 * i..<4 * i + 4]) == observation, "step \(step) copy \(i)")
        #expect(vector.state(of: i) == singles[i].env.wrapped.state, "step \(step) copy \(i)")
        #expect(vector.rewards[i] == reward && vector.terminated[i] == terminated)
        #expect(vector.truncated[i] == truncated, "step \(step) copy \(i)")
        terminations += terminated ? 1 : 0
        truncations += truncated ? 1 : 0
      }
    }
    #expect(terminations > 20 && truncations > 5, "\(terminations) and \(truncations)")
  }

  @Test(arguments: ["frozenlake4x4", "frozenlake8x8", "cliffwalking"])
  func everyGridWorldCopyStepsLikeOneGridWorldSeededAlike(_ name: String) throws {
    var settings = GridWorldCatalog.builtIn[name]!
    settings.stepLimit = 25
    let count = 6
    let vector = try VectorGridWorld(count: count, settings: settings)
    vector.reset(seed: 3)
    let singles = try (0..<count).map {
      AutoresetSingle(try GridWorld.make(settings), seed: 3 + UInt64($0))
    }
    let random = RandomGenerator(seed: 2)
    var ends = 0
    for step in 0..<300 {
      let actions = (0..<count).map { _ in random.integer(below: 4) }
      vector.step(actions)
      for i in 0..<count {
        let (observation, reward, terminated, truncated) = singles[i].step(actions[i])
        #expect(vector.observations[i] == observation, "\(name) step \(step) copy \(i)")
        #expect(vector.rewards[i] == reward, "\(name) step \(step) copy \(i)")
        #expect(vector.terminated[i] == terminated && vector.truncated[i] == truncated)
        ends += terminated || truncated ? 1 : 0
      }
    }
    #expect(ends > 10)
  }

  struct GymnasiumVector: Decodable {
    struct Step: Decodable {
      let actions: [Int]
      let observations: [[Float]]
      let state64: [[Double]]
      let rewards: [Double]
      let terminated: [Bool]
      let truncated: [Bool]
    }
    let copies: Int
    let step_limit: Int
    let initial_states: [[Double]]
    let steps: [Step]
  }

  /// Gymnasium's vector CartPole from the same states: each copy's observations, states,
  /// rewards and flags up to its first autoreset, and that step's reward 0 and clear flags.
  @Test func reproducesGymnasiumsVectorCartPole() throws {
    let fixture = try JSONDecoder().decode(
      GymnasiumVector.self,
      from: Data(contentsOf: fixturesDirectory.appendingPathComponent("gymnasium_vector.json")))
    var settings = CartPoleSettings()
    settings.stepLimit = fixture.step_limit
    let vector = try VectorCartPole(count: fixture.copies, settings: settings)
    vector.reset(states: fixture.initial_states)
    var resetAt = [Int?](repeating: nil, count: fixture.copies)
    for (number, expected) in fixture.steps.enumerated() {
      vector.step(expected.actions)
      for i in 0..<fixture.copies where resetAt[i] == nil || resetAt[i]! == number {
        #expect(vector.rewards[i] == expected.rewards[i], "step \(number) copy \(i)")
        #expect(vector.terminated[i] == expected.terminated[i], "step \(number) copy \(i)")
        #expect(vector.truncated[i] == expected.truncated[i], "step \(number) copy \(i)")
        guard resetAt[i] == nil else { continue }  // a fresh state from another generator
        #expect(Array(vector.observations[4 * i..<4 * i + 4]) == expected.observations[i])
        let error = zip(vector.state(of: i), expected.state64[i]).map { abs($0 - $1) }.max()!
        #expect(error < 1e-12, "step \(number) copy \(i): state error \(error)")
        if expected.terminated[i] || expected.truncated[i] { resetAt[i] = number + 1 }
      }
    }
    #expect(resetAt.allSatisfy { $0 != nil }, "every copy ended once: \(resetAt)")
  }

  @Test func badCountsAndActionsAreRefused() throws {
    #expect(throws: EnvironmentError.self) { try VectorCartPole(count: 0) }
    #expect(throws: EnvironmentError.self) {
      try VectorGridWorld(count: -1, settings: GridWorldCatalog.frozenLake4x4)
    }
  }
}

import PlaygroundEnvironments
import TestSupport
import Testing

/// Our grid worlds against Gymnasium's own transition tables.
@Suite(.onOneBackend) struct GridWorldTests {
  @Test(arguments: gymnasiumGridCases.map(\.key))
  func transitionTableEqualsGymnasium(_ key: String) throws {
    let settings = gymnasiumGridCases.first { $0.key == key }!.settings
    let reference = GymnasiumGrid(key)
    let world = try GridWorld(settings)
    if let map = reference.map { #expect(world.map.text == map.joined(separator: "\n")) }
    #expect(world.transitions.count == reference.transitions.count)
    for (state, (ours, theirs)) in zip(world.transitions, reference.transitions).enumerated() {
      for (action, (a, b)) in zip(ours, theirs).enumerated() {
        let same =
          a.count == b.count
          && zip(a, b).allSatisfy { x, y in
            abs(x.probability - y.probability) < 1e-12 && x.nextState == y.next
              && x.reward == y.reward
              && x.terminated == y.terminal
          }
        #expect(same, "state \(state) action \(action): \(a) vs \(b)")
      }
    }
  }

  @Test(arguments: [
    ("SFF\nFG", "map row 2 has 2 cells, row 1 has 3"),
    ("SFX\nFFG", "map row 1, column 3: unknown cell 'X'"),
    ("FFF\nFFG", "the map needs exactly one start S, it has 0"),
    ("SFF\nFFF", "the map needs a goal G"),
    ("", "the map is empty"),
  ])
  func badMapsAreClearErrors(_ map: String, _ expected: String) {
    var settings = GridWorldSettings()
    settings.map = map
    #expect { try GridWorld(settings) } throws: { "\($0)".contains(expected) }
  }

  @Test func slipOutsideTheUnitIntervalIsRefused() {
    var settings = GridWorldSettings()
    settings.slipProbability = 1.5
    #expect { try GridWorld(settings) } throws: {
      "\($0)".contains("slip_probability must be in [0, 1], got 1.5")
    }
  }

  /// An episode (and the planning horizon) as long as Int.max would never end: capped.
  @Test func stepLimitsPastAMillionAreRefused() throws {
    var settings = GridWorldSettings()
    settings.stepLimit = Int.max
    #expect { try GridWorld(settings) } throws: {
      "\($0)".contains("step_limit must be at most 1000000, got \(Int.max)")
    }
    var cartPole = CartPoleSettings()
    cartPole.stepLimit = 1_000_001
    #expect { try CartPole(cartPole) } throws: { "\($0)".contains("step_limit must be at most") }
    settings.stepLimit = 1_000_000
    _ = try GridWorld(settings)
  }

  @Test func wallsBlockAndTheTimeLimitTruncates() throws {
    var settings = GridWorldSettings()
    settings.map = "S#G\nFFF"
    settings.stepLimit = 3
    let env = try GridWorld.make(settings)
    #expect(env.reset(seed: 1) == 0)
    let blocked = env.step(2)  // right, into the wall
    #expect(blocked.observation == 0 && !blocked.isDone)
    _ = env.step(3)
    let last = env.step(3)
    #expect(last.truncated && !last.terminated)
  }
}

/// One shared check over every environment: spaces, reset/step contract, and determinism of two
/// seeded rollouts.
@Suite(.onOneBackend) struct ConformanceTests {
  @Test(arguments: GridWorldCatalog.builtIn.keys.sorted())
  func gridWorldsFollowTheContract(_ name: String) throws {
    try checkConformance { try GridWorld.make(GridWorldCatalog.builtIn[name]!) }
  }

  /// The discretised cart-pole of the tabular baseline, with the default bins and a finer grid.
  @Test(arguments: [[1, 1, 6, 12], [3, 3, 5, 7]])
  func discretizedCartPoleFollowsTheContract(_ bins: [Int]) throws {
    var discretization = Discretization()
    discretization.bins = bins
    try checkConformance { Discretized(try CartPole.make(), discretization) }
  }
}

/// Checks an environment the way Gymnasium's `check_env` does, plus determinism.
func checkConformance<E: Environment>(_ make: () throws -> E) throws
where E.Observation: Equatable {
  let env = try make()
  #expect(env.actionCount > 0)
  func inSpace(_ observation: E.Observation) -> Bool {
    switch (env.observationSpace, observation) {
    case (.discrete(let count), let state as Int): return (0..<count).contains(state)
    case (.box(let low, let high), let vector as [Float]):
      return vector.count == low.count
        && vector.indices.allSatisfy {
          Double(vector[$0]) >= low[$0] && Double(vector[$0]) <= high[$0]
        }
    default: return false
    }
  }
  func rollout(seed: UInt64) -> [(E.Observation, Double, Bool, Bool)] {
    var trace: [(E.Observation, Double, Bool, Bool)] = []
    let first = env.reset(seed: seed)
    #expect(inSpace(first))
    var actionState = seed
    for _ in 0..<300 {
      actionState = actionState &* 6_364_136_223_846_793_005 &+ 1
      let step = env.step(Int(actionState >> 33) % env.actionCount)
      #expect(inSpace(step.observation))
      #expect(!(step.terminated && step.truncated))
      trace.append((step.observation, step.reward, step.terminated, step.truncated))
      if step.isDone { _ = env.reset() }
    }
    return trace
  }
  let a = rollout(seed: 7)
  let b = rollout(seed: 7)
  #expect(
    a.count == b.count
      && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 && $0.3 == $1.3 })
}

@Suite(.onOneBackend) struct GridMapLineEndingTests {
  /// Maps saved on Windows (CRLF) or old Macs (CR) read like Unix ones.
  @Test(arguments: ["\r\n", "\r"])
  func everyLineEndingReadsTheSame(_ ending: String) throws {
    let unix = try GridMap("SFF\nFHF\nFFG\n")
    let other = try GridMap(["SFF", "FHF", "FFG", ""].joined(separator: ending))
    #expect(other.cells == unix.cells && other.rows == 3 && other.columns == 3)
  }
}

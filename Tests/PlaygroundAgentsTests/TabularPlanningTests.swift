import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import TestSupport
import Testing

/// Value iteration on our tables reproduces Gymnasium's optima.
@Suite(.onOneBackend) struct TabularPlanningTests {
  @Test(arguments: gymnasiumGridCases.map(\.key))
  func valueIterationMatchesTheFixture(_ key: String) throws {
    let world = try GridWorld(gymnasiumGridCases.first { $0.key == key }!.settings)
    let reference = GymnasiumGrid(key)
    let (values, policy) = TabularPlanning.valueIteration(world.transitions, gamma: reference.gamma)
    for (state, (ours, theirs)) in zip(values, reference.optimalValues).enumerated() {
      #expect(abs(ours - theirs) < 1e-9, "V*(\(state)) = \(ours), Gymnasium \(theirs)")
    }
    // Where the fixture's action is strictly best, ours is the same; on ties both are optimal.
    for state in policy.indices {
      let q = world.transitions[state].map { TabularPlanning.q($0, values, reference.gamma) }
      let best = q.max()!
      #expect(abs(q[policy[state]] - best) < 1e-9)
      #expect(
        abs(q[reference.optimalPolicy[state]] - best) < 1e-9,
        "state \(state): the fixture's action is not optimal for us")
    }
    if let success = reference.successFromStart {
      let ours = TabularPlanning.successProbability(
        world.transitions, policy: policy, from: world.map.start)
      #expect(abs(ours - success) < 1e-6, "success \(ours) vs \(success)")
    }
  }

  @Test func bestSuccessWithinTheStepLimits() throws {
    let small = try GridWorld(GridWorldCatalog.frozenLake4x4)
    let large = try GridWorld(GridWorldCatalog.frozenLake8x8)
    let a = TabularPlanning.bestSuccessProbability(
      small.transitions, from: small.map.start, horizon: 100)
    let b = TabularPlanning.bestSuccessProbability(
      large.transitions, from: large.map.start, horizon: 200)
    #expect(abs(a - 0.744) < 5e-4, "4×4 within 100 steps: \(a)")
    #expect(abs(b - 0.913) < 5e-4, "8×8 within 200 steps: \(b)")
  }

  @Test func policyEvaluationOfTheOptimalPolicyGivesTheOptimalValues() throws {
    let world = try GridWorld(GridWorldCatalog.frozenLake4x4)
    let (values, policy) = TabularPlanning.valueIteration(world.transitions, gamma: 0.99)
    let evaluated = TabularPlanning.policyEvaluation(world.transitions, policy: policy, gamma: 0.99)
    #expect(zip(values, evaluated).allSatisfy { abs($0 - $1) < 1e-9 })
  }

  /// A map of more than 10,000 states sweeps forward and backward in turn; it must reach the
  /// same values: on an open deterministic map, V*(start) = γ^(steps to the goal − 1).
  @Test(arguments: [90, 120])
  func bigMapsReachTheClosedFormValues(_ side: Int) throws {
    let world = try GridWorld(openGridMap(side: side))
    let gamma = 0.99
    let (values, policy) = TabularPlanning.valueIteration(world.transitions, gamma: gamma)
    let steps = 2 * (side - 1)
    #expect(abs(values[world.map.start] - pow(gamma, Double(steps - 1))) < 1e-12)
    // Every greedy action is a shortest way (right or down: 2 and 1 in left, down, right, up).
    #expect(
      policy.indices.allSatisfy { world.map.cells[$0] == .goal || [1, 2].contains(policy[$0]) })
  }
}

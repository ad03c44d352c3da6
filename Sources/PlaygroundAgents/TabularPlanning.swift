import PlaygroundEnvironments

/// Dynamic programming on a known transition table (Sutton & Barto, ch. 4): the optimum that
/// learned tabular policies are measured against.
public enum TabularPlanning {
  /// Bytes of a world's transition table (`[state][action]` arrays of up to 3 outcomes, and its
  /// flat copy) and of value iteration's values, for `states` × `actions` — about 850 bytes a
  /// cell of a 4-action grid, as measured on a 3000×3000 map (7.7 GB).
  public static func estimatedBytes(states: Int, actions: Int) -> Double {
    Double(states) * (Double(actions) * (3 * 32 + 32) * 2 + 5 * 8 + 64)
  }

  /// Optimal state values and a greedy policy by value iteration, until no value moves by more
  /// than `tolerance`. A terminal transition does not bootstrap.
  /// - Parameter table: `table[state][action]`, as ``GridWorld/transitions``.
  public static func valueIteration(
    _ table: [[[Transition]]], gamma: Double, tolerance: Double = 1e-13, maxSweeps: Int = 100_000
  ) -> (values: [Double], policy: [Int]) {
    let flat = FlatTransitionTable(table)
    var values = [Double](repeating: 0, count: table.count)
    // Big tables sweep forward and backward in turn: a value then crosses the whole map in
    // one sweep instead of one cell per sweep (1000×1000: 2 sweeps for ~2,000). Small ones
    // (every shipped map) keep the forward order of Gymnasium-style code, bit for bit.
    let alternates = flat.stateCount > 10_000
    values.withUnsafeMutableBufferPointer { values in
      for sweep in 0..<maxSweeps {
        var change = 0.0
        let backward = alternates && sweep % 2 == 1
        // In place (Gauss–Seidel).
        for step in 0..<flat.stateCount {
          let state = backward ? flat.stateCount - 1 - step : step
          let best = flat.best(state) { k in
            flat.reward[k] + (flat.terminated[k] ? 0 : gamma * values[flat.nextState[k]])
          }
          change = max(change, abs(best - values[state]))
          values[state] = best
        }
        if change < tolerance { break }
      }
    }
    return (values, greedyPolicy(table, values: values, gamma: gamma))
  }

  /// The action with the largest one-step lookahead value in each state (the first on ties, as
  /// NumPy's `argmax`).
  public static func greedyPolicy(_ table: [[[Transition]]], values: [Double], gamma: Double)
    -> [Int]
  {
    table.map { actions in
      let qs = actions.map { q($0, values, gamma) }
      return qs.indices.max { qs[$0] < qs[$1] || (qs[$0] == qs[$1] && $0 > $1) } ?? 0
    }
  }

  /// The expected discounted return of `outcomes` given next-state values.
  public static func q(_ outcomes: [Transition], _ values: [Double], _ gamma: Double) -> Double {
    outcomes.reduce(0) { total, t in
      total + t.probability * (t.reward + (t.terminated ? 0 : gamma * values[t.nextState]))
    }
  }

  /// The values of a fixed deterministic `policy` (iterative policy evaluation).
  public static func policyEvaluation(
    _ table: [[[Transition]]], policy: [Int], gamma: Double, tolerance: Double = 1e-13,
    maxSweeps: Int = 100_000
  ) -> [Double] {
    var values = [Double](repeating: 0, count: table.count)
    for _ in 0..<maxSweeps {
      var change = 0.0
      for state in table.indices {
        let value = q(table[state][policy[state]], values, gamma)
        change = max(change, abs(value - values[state]))
        values[state] = value
      }
      if change < tolerance { break }
    }
    return values
  }

  /// The probability that `policy` ends an episode from `start` with a reward-giving terminal
  /// transition (reaching the goal) within `horizon` steps, or with no limit when `horizon` is nil.
  public static func successProbability(
    _ table: [[[Transition]]], policy: [Int], from start: Int, horizon: Int? = nil
  ) -> Double {
    var success = [Double](repeating: 0, count: table.count)
    let sweeps = horizon ?? 100_000
    for _ in 0..<sweeps {
      var next = success
      var change = 0.0
      for state in table.indices {
        next[state] = table[state][policy[state]].reduce(0) { total, t in
          total + t.probability * (t.terminated ? (t.reward > 0 ? 1 : 0) : success[t.nextState])
        }
        change = max(change, abs(next[state] - success[state]))
      }
      success = next
      if horizon == nil && change < 1e-14 { break }
    }
    return success[start]
  }

  /// The highest success probability any policy reaches within `horizon` steps (finite-horizon
  /// dynamic programming; the policy may depend on the steps left).
  public static func bestSuccessProbability(
    _ table: [[[Transition]]], from start: Int, horizon: Int
  ) -> Double {
    let flat = FlatTransitionTable(table)
    var success = [Double](repeating: 0, count: table.count)
    var next = success
    for _ in 0..<horizon {
      for state in 0..<flat.stateCount {
        next[state] = flat.best(state) { k in
          flat.terminated[k] ? (flat.reward[k] > 0 ? 1 : 0) : success[flat.nextState[k]]
        }
      }
      // A fixed point reached (exactly): every later step gives the same, so stop here.
      if next == success { break }
      swap(&success, &next)
    }
    return success[start]
  }
}

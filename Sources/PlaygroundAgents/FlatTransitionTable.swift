import PlaygroundEnvironments

/// A transition table (`table[state][action]` → outcomes) laid out in flat arrays, so that a
/// planning sweep reads memory in order and allocates nothing: value iteration over a
/// 1000×1000 map makes thousands of sweeps of 4·10⁶ lookaheads. The arithmetic is that of
/// ``TabularPlanning/q(_:_:_:)``, term for term, so results are bit-identical.
struct FlatTransitionTable {
  /// `actionStarts[stateStarts[s] ..< stateStarts[s + 1]]` are state `s`'s actions.
  let stateStarts: [Int]
  /// `outcome[actionStarts[a] ..< actionStarts[a + 1]]` are action `a`'s outcomes.
  let actionStarts: [Int]
  let probability: [Double]
  let nextState: [Int]
  let reward: [Double]
  let terminated: [Bool]

  init(_ table: [[[Transition]]]) {
    var (stateStarts, actionStarts) = ([0], [0])
    var (probability, nextState, reward, terminated) = ([Double](), [Int](), [Double](), [Bool]())
    for actions in table {
      for outcomes in actions {
        for t in outcomes {
          probability.append(t.probability)
          nextState.append(t.nextState)
          reward.append(t.reward)
          terminated.append(t.terminated)
        }
        actionStarts.append(probability.count)
      }
      stateStarts.append(actionStarts.count - 1)
    }
    (self.stateStarts, self.actionStarts) = (stateStarts, actionStarts)
    (self.probability, self.nextState, self.reward, self.terminated) =
      (probability, nextState, reward, terminated)
  }

  var stateCount: Int { stateStarts.count - 1 }

  /// The largest one-step lookahead of `state` over its actions (0 without actions), where an
  /// outcome is worth `value(outcome)`.
  @inline(__always)
  func best(_ state: Int, _ value: (Int) -> Double) -> Double {
    let (first, last) = (stateStarts[state], stateStarts[state + 1])
    guard first < last else { return 0 }
    var best = -Double.infinity
    for action in first..<last {
      var total = 0.0
      for k in actionStarts[action]..<actionStarts[action + 1] {
        total = total + probability[k] * value(k)
      }
      best = max(best, total)
    }
    return best
  }
}

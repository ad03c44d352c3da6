import PlaygroundRandom

/// One possible outcome of an action: Gymnasium's `(probability, next_state, reward, terminal)`.
public struct Transition: Equatable, Sendable {
  public let probability: Double
  public let nextState: Int
  public let reward: Double
  public let terminated: Bool
}

/// A tabular grid world read from a map: FrozenLake, CliffWalking, or your own.
///
/// ## Action Space
/// Four actions, the directions in ``GridWorldSettings/actions`` order.
///
/// ## Observation Space
/// `discrete(rows · columns)`: the agent's cell, `row · columns + column`.
///
/// ## Rewards
/// ``GridWorldSettings/stepReward`` per step, plus the goal or hole reward on reaching one; a
/// cliff gives ``GridWorldSettings/cliffReward`` and returns the agent to the start.
///
/// ## Starting State
/// The `S` cell.
///
/// ## Episode End
/// Terminated on reaching a goal or a hole; truncated by ``TimeLimit`` after
/// ``GridWorldSettings/stepLimit`` steps (see ``make(_:)``).
///
/// Moves off the grid or into a wall leave the agent in place. On slippery ice the agent moves as
/// intended with probability `1 − slip`, and to each side with `slip / 2` — the transition table
/// equals Gymnasium's entry for entry.
public final class GridWorld: Environment {
  public typealias Observation = Int

  public let settings: GridWorldSettings
  public let map: GridMap
  /// `transitions[state][action]`: every outcome with its probability, in Gymnasium's order.
  public let transitions: [[[Transition]]]
  public private(set) var state: Int
  private var generator: RandomGenerator
  /// The outcomes of `(state, action)` are `outcomes[offsets[i]..<offsets[i + 1]]` with
  /// `i = state · 4 + action`: the table flattened for the step loop.
  private let outcomes: [Transition]
  private let offsets: [Int]

  /// - Throws: ``EnvironmentError`` for an unusable map or setting.
  public init(_ settings: GridWorldSettings) throws {
    do {
      try settings.validate()
    } catch {
      throw EnvironmentError("\(error)")
    }
    self.settings = settings
    map = try GridMap(settings.map)
    transitions = GridWorld.table(map: map, settings: settings)
    outcomes = transitions.flatMap { $0.flatMap { $0 } }
    offsets = transitions.flatMap { $0.map(\.count) }.reduce(into: [0]) { $0.append($0.last! + $1) }
    state = map.start
    generator = RandomGenerator(seed: 0)
  }

  /// The grid world wrapped in its time limit.
  public static func make(_ settings: GridWorldSettings) throws -> TimeLimit<GridWorld> {
    TimeLimit(try GridWorld(settings), maxSteps: settings.stepLimit)
  }

  public var actionCount: Int { 4 }
  public var stateCount: Int { map.cells.count }
  public var observationSpace: ObservationSpace { .discrete(count: stateCount) }

  public func reset(seed: UInt64?) -> Int {
    if let seed { generator = RandomGenerator(seed: seed) }
    state = map.start
    return state
  }

  public func step(_ action: Int) -> Step<Int> {
    precondition((0..<4).contains(action), "GridWorld actions are 0..<4, got \(action)")
    let chosen = outcome(of: action, from: state, drawingFrom: generator)
    state = chosen.nextState
    return Step(
      observation: state, reward: chosen.reward, terminated: chosen.terminated, truncated: false)
  }

  /// What `action` does from `state`, drawn from `generator` when there is more than one
  /// outcome — Gymnasium's categorical sample: the first outcome whose cumulative probability
  /// exceeds a uniform u.
  @inline(__always)
  func outcome(of action: Int, from state: Int, drawingFrom generator: RandomGenerator)
    -> Transition
  {
    let (first, end) = (offsets[state * 4 + action], offsets[state * 4 + action + 1])
    if end - first == 1 { return outcomes[first] }
    let u = generator.unitDouble()
    var cumulative = 0.0
    for index in first..<end {
      cumulative += outcomes[index].probability
      if cumulative > u { return outcomes[index] }
    }
    return outcomes[end - 1]
  }

  /// The four directions in counter-clockwise order, as FrozenLake numbers them.
  static func table(map: GridMap, settings: GridWorldSettings) -> [[[Transition]]] {
    let directions = settings.actions
    let slip = settings.slipProbability
    return map.cells.indices.map { state in
      directions.map { direction in
        let cell = map.cells[state]
        if settings.terminalCellsAbsorb && (cell == .hole || cell == .goal) {
          return [Transition(probability: 1, nextState: state, reward: 0, terminated: true)]
        }
        let moves: [(GridDirection, Double)] =
          slip == 0
          ? [(direction, 1)]
          : [(direction.previous, slip / 2), (direction, 1 - slip), (direction.next, slip / 2)]
        return moves.map { move, probability in
          outcome(of: move, from: state, probability: probability, map: map, settings: settings)
        }
      }
    }
  }

  static func outcome(
    of direction: GridDirection, from state: Int, probability: Double, map: GridMap,
    settings: GridWorldSettings
  ) -> Transition {
    let (row, column) = (state / map.columns, state % map.columns)
    let newRow = min(max(row + direction.delta.row, 0), map.rows - 1)
    let newColumn = min(max(column + direction.delta.column, 0), map.columns - 1)
    var next = newRow * map.columns + newColumn
    if map.cells[next] == .wall { next = state }
    switch map.cells[next] {
    case .cliff:
      return Transition(
        probability: probability, nextState: map.start, reward: settings.cliffReward,
        terminated: false)
    case .goal:
      return Transition(
        probability: probability, nextState: next,
        reward: settings.stepReward + settings.goalReward, terminated: true)
    case .hole:
      return Transition(
        probability: probability, nextState: next,
        reward: settings.stepReward + settings.holeReward, terminated: true)
    case .start, .free, .wall:
      return Transition(
        probability: probability, nextState: next, reward: settings.stepReward, terminated: false)
    }
  }
}

import PlaygroundConfig

/// A move on a grid world's map. `allCases` is FrozenLake's action order.
public enum GridDirection: String, ConfigChoice {
  case left, down, right, up

  /// The change of (row, column): rows grow downwards.
  var delta: (row: Int, column: Int) {
    switch self {
    case .left: (0, -1)
    case .down: (1, 0)
    case .right: (0, 1)
    case .up: (-1, 0)
    }
  }

  private var index: Int { Self.allCases.firstIndex(of: self)! }
  /// The direction a quarter turn before (a slip to one side).
  var previous: GridDirection { Self.allCases[(index + 3) % 4] }
  /// The direction a quarter turn after (a slip to the other side).
  var next: GridDirection { Self.allCases[(index + 1) % 4] }
}

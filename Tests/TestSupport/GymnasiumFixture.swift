import Foundation
import PlaygroundEnvironments

/// The grid-world parts of `Tests/Fixtures/gymnasium.json` (Gymnasium 1.4.0).
public struct GymnasiumGrid: @unchecked Sendable {
  public let map: [String]?
  public let transitions: [[[(probability: Double, next: Int, reward: Double, terminal: Bool)]]]
  public let gamma: Double
  public let optimalValues: [Double]
  public let optimalPolicy: [Int]
  public let successFromStart: Double?

  nonisolated(unsafe) public static let fixture: [String: Any] = {
    let url = fixturesDirectory.appendingPathComponent("gymnasium.json")
    return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }()

  public init(_ key: String) {
    let entry = Self.fixture[key] as! [String: Any]
    map = entry["map"] as? [String]
    let table = entry["transitions"] as! [String: [String: [[Any]]]]
    transitions = (0..<table.count).map { state in
      (0..<4).map { action in
        table[String(state)]![String(action)]!.map {
          (
            ($0[0] as! NSNumber).doubleValue, ($0[1] as! NSNumber).intValue,
            ($0[2] as! NSNumber).doubleValue, $0[3] as! Bool
          )
        }
      }
    }
    gamma = (entry["gamma"] as! NSNumber).doubleValue
    optimalValues = (entry["optimal_values"] as! [NSNumber]).map(\.doubleValue)
    optimalPolicy = (entry["optimal_policy"] as! [NSNumber]).map(\.intValue)
    successFromStart = (entry["optimal_success_probability_from_start"] as? NSNumber)?.doubleValue
  }
}

/// The fixture's grid worlds and the settings of ours that must equal them.
public let gymnasiumGridCases: [(key: String, settings: GridWorldSettings)] = [
  ("grid/FrozenLake-v1/4x4/slippery", GridWorldCatalog.frozenLake4x4),
  (
    "grid/FrozenLake-v1/4x4/deterministic",
    {
      var s = GridWorldCatalog.frozenLake4x4
      s.slipProbability = 0
      return s
    }()
  ),
  ("grid/FrozenLake-v1/8x8/slippery", GridWorldCatalog.frozenLake8x8),
  ("grid/CliffWalking-v1", GridWorldCatalog.cliffWalking),
]

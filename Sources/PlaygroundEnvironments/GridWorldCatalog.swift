import Foundation
import PlaygroundConfig

/// The grid worlds that ship with the playground (the same as `environments/*.yaml`), and
/// loading of user-defined ones.
public enum GridWorldCatalog {
  /// Gymnasium's FrozenLake-v1 4×4, slippery.
  public static var frozenLake4x4: GridWorldSettings {
    frozenLake(name: "frozenlake4x4", map: "SFFF\nFHFH\nFFFH\nHFFG", stepLimit: 100)
  }

  /// Gymnasium's FrozenLake-v1 8×8, slippery.
  public static var frozenLake8x8: GridWorldSettings {
    frozenLake(
      name: "frozenlake8x8",
      map: "SFFFFFFF\nFFFFFFFF\nFFFHFFFF\nFFFFFHFF\nFFFHFFFF\nFHHFFFHF\nFHFFHFHF\nFFFHFFFG",
      stepLimit: 200)
  }

  /// FrozenLake's rules on `map`: slippery ice (intended direction or either side, 1/3 each),
  /// reward 1 at the goal.
  static func frozenLake(name: String, map: String, stepLimit: Int) -> GridWorldSettings {
    var s = GridWorldSettings()
    s.name = name
    s.map = map
    s.slipProbability = 2.0 / 3.0
    s.stepLimit = stepLimit
    return s
  }

  /// Gymnasium's CliffWalking-v1: −1 per step, −100 and back to the start on the cliff.
  public static var cliffWalking: GridWorldSettings {
    var s = GridWorldSettings()
    s.name = "cliffwalking"
    s.map = "FFFFFFFFFFFF\nFFFFFFFFFFFF\nFFFFFFFFFFFF\nSCCCCCCCCCCG"
    s.stepReward = -1
    s.goalReward = 0
    s.cliffReward = -100
    s.terminalCellsAbsorb = false
    s.actions = [.up, .right, .down, .left]
    s.stepLimit = 200
    return s
  }

  /// The built-in worlds by name.
  public static var builtIn: [String: GridWorldSettings] {
    ["frozenlake4x4": frozenLake4x4, "frozenlake8x8": frozenLake8x8, "cliffwalking": cliffWalking]
  }

  /// A built-in name, or the path of a YAML settings file or of a plain-text map.
  /// - Throws: ``PlaygroundRuns/RunError`` naming the problem (unknown name, unreadable file,
  ///   bad map or setting).
  public static func settings(for nameOrPath: String) throws -> GridWorldSettings {
    if let settings = builtIn[nameOrPath.lowercased()] { return settings }
    let url = URL(fileURLWithPath: nameOrPath)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw RunError(
        "unknown map '\(nameOrPath)': use \(builtIn.keys.sorted().joined(separator: ", ")) or the path of a .yaml or .txt map"
      )
    }
    if url.pathExtension == "yaml" || url.pathExtension == "yml" {
      var defaults = GridWorldSettings()
      defaults.name = url.deletingPathExtension().lastPathComponent
      return try GridWorldSettings.read(url, defaults: defaults)
    }
    let text = try TextFile.read(url, what: "map")
    var settings = GridWorldSettings()
    settings.name = url.deletingPathExtension().lastPathComponent
    settings.map = text
    do {
      try settings.validate()
    } catch let error as RunError {
      throw RunError("\(url.path): \(error.description)")
    }
    return settings
  }
}

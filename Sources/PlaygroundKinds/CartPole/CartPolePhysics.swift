import Foundation
import PlaygroundConfig
import PlaygroundEnvironments
import Yams

/// How a scenario or a command names a cart-pole, and how its agent files are told apart.
public enum CartPolePhysics {
  /// The physics `subject` names: `cartpole` (the defaults) or a YAML file of cart-pole
  /// settings; `nil` when it names another environment.
  static func named(_ subject: String?, resolve: (String) -> URL?) throws -> CartPoleSettings? {
    guard let subject, namesCartPole(subject, resolve: resolve) else { return nil }
    guard let url = resolve(subject), subject.lowercased() != "cartpole" else {
      return CartPoleSettings()
    }
    return try NameError.on(.subject) {
      try CartPoleSettings.read(url, defaults: CartPoleSettings())
    }
  }

  /// Whether `subject` names a cart-pole: `cartpole`, or a YAML file with cart-pole settings'
  /// keys only.
  static func namesCartPole(_ subject: String?, resolve: (String) -> URL?) -> Bool {
    guard let subject else { return false }
    if subject.lowercased() == "cartpole" { return true }
    guard let url = resolve(subject), ["yaml", "yml"].contains(url.pathExtension),
      let keys = topLevelKeys(url), !keys.isEmpty
    else { return false }
    return keys.isSubset(of: CartPoleSettings.CodingKeys.allCases.map(\.stringValue))
  }

  /// Whether `agent` names the tabular baseline: `q-learning`, or a file of its shape.
  static func namesTabularAgent(_ agent: String?, resolve: (String) -> URL?) -> Bool {
    guard let agent else { return false }
    if agent == "q-learning" { return true }
    return resolve(agent).map(isTabularAgentFile) ?? false
  }

  /// Whether the settings file at `url` is the tabular baseline's (its `agent:` and
  /// `discretization:` sections) rather than DQN's (DQN's keys at the top): told by its shape,
  /// not its name, the same way for `rl cartpole --agent FILE` and a scenario's `agent:`.
  static func isTabularAgentFile(_ url: URL) -> Bool {
    guard let keys = topLevelKeys(url) else { return false }
    return !keys.isDisjoint(with: ["agent", "discretization"])
  }

  /// Whether a run's `config.yaml` is the tabular baseline's (it has a `discretization:`
  /// section) rather than DQN's.
  public static func isTabularRunConfig(_ url: URL) -> Bool {
    topLevelKeys(url)?.contains("discretization") ?? false
  }

  private static func topLevelKeys(_ url: URL) -> Set<String>? {
    guard let text = try? TextFile.read(url, what: "settings"),
      let mapping = (try? Yams.compose(yaml: text))??.mapping
    else { return nil }
    return Set(mapping.keys.compactMap(\.string))
  }
}

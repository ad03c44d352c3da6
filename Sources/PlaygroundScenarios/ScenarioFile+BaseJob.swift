import Foundation
import PlaygroundAgents
import PlaygroundClassifier
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundGenerative
import PlaygroundRL
import PlaygroundRuns
import Yams

extension ScenarioFile.Reader {
  /// The job that `kind`, `dataset`, `environment` and `agent` name, before overrides.
  mutating func baseJob(kind: String, kindNode: Node, _ mapping: Node.Mapping) -> ScenarioJob? {
    let allowed: [String: Set<String>] = [
      "classify": ["dataset"], "gan": ["dataset"], "rl": ["environment"],
    ]
    guard let own = allowed[kind] else {
      problem(kindNode, "unknown kind '\(kind)': use classify, rl or gan")
      return nil
    }
    for key in ["dataset", "environment"] where mapping[key] != nil && !own.contains(key) {
      problem(mapping[key], "'\(key)' does not apply to kind \(kind)")
    }
    let agent = string(mapping, "agent")
    switch kind {
    case "rl": return reinforcementJob(mapping, agent: agent)
    default:
      var dataset = DatasetName.mnist
      if let (name, node) = string(mapping, "dataset") {
        if let known = DatasetName(rawValue: name) {
          dataset = known
        } else {
          // Reported; the agent is still checked.
          problem(node, "unknown dataset '\(name)': use mnist or fashion")
        }
      }
      return kind == "gan" ? ganJob(dataset, agent: agent) : classifierJob(dataset, agent: agent)
    }
  }

  mutating func classifierJob(_ dataset: DatasetName, agent: (String, Node)?) -> ScenarioJob? {
    var config = ClassifierConfig()
    switch agent?.0 {
    case nil, "classifier", "mlp": break
    case "cnn": config.model = .cnn
    case let path?:
      guard let loaded: ClassifierConfig = load(path, at: agent?.1, names: "classifier, mlp, cnn")
      else { return nil }
      config = loaded
    }
    config.dataset = dataset
    return .classify(config)
  }

  mutating func ganJob(_ dataset: DatasetName, agent: (String, Node)?) -> ScenarioJob? {
    var config = GANConfig()
    switch agent?.0 {
    case nil, "dcgan": break
    case "gan", "mlp": config = .fullyConnected
    case "tf-dcgan": config = .tensorFlowTutorial
    case let path?:
      guard let loaded: GANConfig = load(path, at: agent?.1, names: "dcgan, gan, tf-dcgan") else {
        return nil
      }
      config = loaded
    }
    config.dataset = dataset
    return .gan(config)
  }

  mutating func reinforcementJob(_ mapping: Node.Mapping, agent: (String, Node)?) -> ScenarioJob? {
    guard let (environment, environmentNode) = string(mapping, "environment") else {
      if mapping["environment"] == nil {
        problem(
          nil,
          "'environment' is missing for kind rl: cartpole, frozenlake8x8, frozenlake4x4, cliffwalking or a path"
        )
      }
      return nil
    }
    // Cart-pole: by name, or a YAML file of cart-pole physics.
    var physics: CartPoleSettings?
    if environment.lowercased() == "cartpole" {
      physics = CartPoleSettings()
    } else if let url = resolve(environment), ["yaml", "yml"].contains(url.pathExtension),
      let text = try? String(contentsOf: url, encoding: .utf8),
      let keys = (try? Yams.compose(yaml: text))??.mapping?.keys.compactMap(\.string),
      !keys.isEmpty,
      keys.allSatisfy(CartPoleSettings.CodingKeys.allCases.map(\.stringValue).contains)
    {
      do {
        physics = try CartPoleSettings.read(url, defaults: CartPoleSettings())
      } catch {
        problem(environmentNode, "\(error)")
        return nil
      }
    }
    if let physics {
      switch agent?.0 {
      case nil, "dqn": return .cartPole(physics, DQNConfig())
      case "q-learning":
        return .cartPoleTabular(physics, CartPoleQLearningRun.defaultAgent, Discretization())
      case let path?:
        guard let url = resolve(path) else {
          problem(agent?.1, "unknown agent '\(path)': use dqn, q-learning or the path of a .yaml")
          return nil
        }
        do {
          let text = try String(contentsOf: url, encoding: .utf8)
          if text.contains("discretization:") {
            let (tabular, bins) = try CartPoleQLearningRun.readAgentFile(url)
            return .cartPoleTabular(physics, tabular, bins)
          }
          return .cartPole(physics, try DQNConfig.read(url, defaults: DQNConfig()))
        } catch {
          problem(agent?.1, "\(error)")
          return nil
        }
      }
    }
    // Grid worlds: a built-in name, or a .yaml or .txt map.
    let world: GridWorldSettings
    do {
      world = try GridWorldCatalog.settings(for: resolve(environment)?.path ?? environment)
    } catch {
      problem(environmentNode, "\(error)")
      return nil
    }
    var tabular = TabularAgentConfig()
    if let (name, node) = agent {
      if let algorithm = TabularAlgorithm(rawValue: name) {
        tabular.algorithm = algorithm
      } else {
        let names = TabularAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
        guard let loaded: TabularAgentConfig = load(name, at: node, names: names) else {
          return nil
        }
        tabular = loaded
      }
    }
    return .gridWorld(GridWorldRunConfig(environment: world, agent: tabular))
  }

  /// Reads settings from the agent file at `path`.
  mutating func load<Config: ConfigFile & DefaultConstructible>(
    _ path: String, at node: Node?, names: String
  ) -> Config? {
    guard let url = resolve(path) else {
      problem(node, "unknown agent '\(path)': use \(names) or the path of a .yaml file")
      return nil
    }
    do {
      return try Config.read(url, defaults: Config())
    } catch {
      problem(node, "\(error)")
      return nil
    }
  }
}

/// Settings with defaults, so that a file can set only some keys.
protocol DefaultConstructible { init() }
extension ClassifierConfig: DefaultConstructible {}
extension GANConfig: DefaultConstructible {}
extension TabularAgentConfig: DefaultConstructible {}

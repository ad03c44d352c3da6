import ArgumentParser
import Foundation
import PlaygroundAgents
import PlaygroundCore
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundNN
import PlaygroundRL
import PlaygroundRuns
import PlaygroundScenarios

/// `playground rl cartpole`: DQN on CartPole-v1 until solved.
struct CartPoleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cartpole",
    abstract: "DQN on CartPole-v1 until solved (mean greedy return ≥ 475 over 100 episodes).",
    discussion: """
      Trains with a progress line, evaluates the greedy policy every evaluation_interval steps and stops once solved. The run folder gets config.yaml, metrics.csv (per episode), eval.csv, learning_curve.png, model.safetensors (layers.<i>.weight as [out, in]), episode.png (a film strip of one greedy episode) and summary.json. Physics: environments/cartpole.yaml; hyper-parameters: agents/dqn.yaml.

      Examples:
        playground rl cartpole
        playground rl cartpole --steps 20000 --seed 3
        playground rl cartpole --agent agents/dqn.yaml
        playground rl cartpole --agent q-learning          # the discretised tabular baseline
        playground rl cartpole --watch outputs/rl-cartpole/latest/model.safetensors

      Without options, the same as 'playground run scenarios/rl-cartpole.yaml'.
      """)

  @Option(
    help:
      "dqn, q-learning (discretised, agents/cartpole-q-learning.yaml), or the path of a DQN settings .yaml."
  )
  var agent: String?

  @Option(help: "Environment steps of DQN training (the budget).")
  var steps: Int?

  @Option(help: "Physics settings (.yaml, the keys of environments/cartpole.yaml).")
  var environment: String?

  @Option(
    help: "A run's config.yaml (environment: and agent: sections); other options override it.")
  var config: String?

  @Option(help: "Replay one greedy episode of a saved model in the terminal instead of training.")
  var watch: String?

  @OptionGroup var runOptions: RunOptions

  func settings() throws -> (CartPoleSettings, DQNConfig) {
    var physics = CartPoleSettings()
    var dqn = DQNConfig()
    if let config { (physics, dqn) = try CartPoleRun.readConfig(URL(fileURLWithPath: config)) }
    if let environment {
      physics = try CartPoleSettings.read(
        URL(fileURLWithPath: environment), defaults: CartPoleSettings())
    }
    if let agent {
      if ["dqn", "q-learning"].contains(agent.lowercased())
        || agent.hasSuffix("cartpole-q-learning.yaml")
      {
        // The defaults, or the tabular baseline (see run()).
      } else if FileManager.default.fileExists(atPath: agent) {
        dqn = try DQNConfig.read(URL(fileURLWithPath: agent), defaults: DQNConfig())
      } else {
        throw RunError("unknown agent '\(agent)': use dqn, q-learning or the path of a DQN .yaml")
      }
    }
    if let steps { dqn.totalSteps = steps }
    if let seed = runOptions.seed { dqn.seed = seed }
    try physics.validate()
    try dqn.validate()
    return (physics, dqn)
  }

  func run() throws {
    let (physics, dqn) = try settings()
    if let watch {
      try replay(URL(fileURLWithPath: watch), physics: physics, seed: dqn.seed)
      return
    }
    if agent?.lowercased() == "q-learning"
      || (agent.map { $0.hasSuffix("cartpole-q-learning.yaml") } ?? false)
    {
      var (tabular, discretization) = (CartPoleQLearningRun.defaultAgent, Discretization())
      if let agent, agent.hasSuffix(".yaml") {
        (tabular, discretization) = try CartPoleQLearningRun.readAgentFile(
          URL(fileURLWithPath: agent))
      }
      guard steps == nil else {
        throw RunError(
          "--steps is DQN's budget; the q-learning baseline counts episodes: set episodes in agents/cartpole-q-learning.yaml"
        )
      }
      if let seed = runOptions.seed { tabular.seed = seed }
      try ScenarioJob.cartPoleTabular(physics, tabular, discretization).run(
        outputDirectory: runOptions.outputURL, sources: DataSources.fromEnvironment(),
        quiet: runOptions.quiet)
      return
    }
    try ScenarioJob.cartPole(physics, dqn).run(
      outputDirectory: runOptions.outputURL, sources: DataSources.fromEnvironment(),
      quiet: runOptions.quiet)
  }

  /// Plays one greedy episode of a saved Q-network, one text frame per step.
  func replay(_ url: URL, physics: CartPoleSettings, seed: UInt64) throws {
    let contents = try SafeTensors.read(from: url)
    var sizes: [Int] = []
    var index = 0
    while let weight = contents["layers.\(index).weight"] {
      guard weight.rank == 2 else {
        throw RunError("\(url.path): layers.\(index).weight is not a matrix")
      }
      if sizes.isEmpty { sizes.append(weight.shape[1]) }
      guard weight.shape[1] == sizes.last! else {
        throw RunError(
          "\(url.path): layers.\(index).weight has shape \(weight.shape), the previous layer has \(sizes.last!) outputs"
        )
      }
      sizes.append(weight.shape[0])
      index += 1
    }
    let env = try CartPole(physics)
    guard sizes.count >= 2, sizes.first == 4, sizes.last == env.actionCount else {
      throw RunError(
        "\(url.path) is not a cart-pole Q-network: it maps \(sizes.first ?? 0) inputs to \(sizes.last ?? 0) outputs, the cart-pole needs 4 → 2"
      )
    }
    let network = DQNAgent.network(
      4, Array(sizes.dropFirst().dropLast()), 2, RandomGenerator(seed: 0))
    try network.load(from: url)
    let interactive = isatty(STDOUT_FILENO) != 0
    var observation = env.reset(seed: seed)
    var total = 0.0
    for step in 1...physics.stepLimit {
      let action = withoutGradient {
        network(Tensor(shape: [1, 4], scalars: observation)).argmaxLastAxis()[0]
      }
      let result = env.step(action)
      total += result.reward
      observation = result.observation
      let line = Self.frame(env.state, physics: physics, step: step, action: action)
      if interactive {
        print("\r" + line, terminator: "")
        fflush(nil)
        usleep(20_000)
      } else if step % 25 == 0 || result.terminated {
        print(line)
      }
      if result.terminated { break }
    }
    if interactive { print("") }
    print(
      "episode return \(Int(total))\(total >= Double(physics.stepLimit) ? " (the time limit)" : "")"
    )
  }

  /// `step 123 ◀ |.........(\).........| x +0.12 m  θ  -1.3°`: the cart on the track, its pole.
  static func frame(_ state: [Double], physics: CartPoleSettings, step: Int, action: Int) -> String
  {
    let width = 41
    let position = Int(
      ((state[0] + physics.xThreshold) / (2 * physics.xThreshold) * Double(width - 1)).rounded())
    let degrees = state[2] * 180 / Double.pi
    let pole = degrees > 4 ? "/" : degrees < -4 ? "\\" : "|"
    var track = Array(repeating: ".", count: width)
    track[min(max(position, 0), width - 1)] = pole
    let number = String(step).leftPadded(3)
    return
      "step \(number) \(action == 1 ? "▶" : "◀") |\(track.joined())| x \(String(format: "%+.2f", state[0])) m  θ \(String(format: "%+5.1f", degrees))°"
  }
}

import ArgumentParser
import Foundation
import PlaygroundEnvironments
import PlaygroundRandom

/// `playground bench env`: raw environment steps per second with random actions, the figure
/// `benchmarks/cartpole.sh` compares with Gymnasium's.
struct EnvironmentBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Time raw environment steps (random actions) of CartPole and FrozenLake.",
    discussion: """
      Examples:
        playground bench env
        playground bench env --steps 5000000
      """)

  @Option(help: "Steps per environment.")
  var steps = 2_000_000

  func validate() throws {
    guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
  }

  func run() throws {
    print("environment\tsteps\tseconds\tsteps_per_second")
    try measure("CartPole-v1", CartPole.make())
    try measure("FrozenLake-v1 8x8", GridWorld.make(GridWorldCatalog.frozenLake8x8))
  }

  func measure<E: Environment>(_ name: String, _ env: E) {
    let random = RandomGenerator(seed: 0)
    _ = env.reset(seed: 0)
    let start = Date()
    for _ in 0..<steps {
      if env.step(random.integer(below: env.actionCount)).isDone { _ = env.reset() }
    }
    let seconds = Date().timeIntervalSince(start)
    print("\(name)\t\(steps)\t\(String(format: "%.3f", seconds))\t\(Int(Double(steps) / seconds))")
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundEnvironments

/// A kind that trains on cart-pole, whose physics `rl cartpole --environment` replaces.
public protocol CartPoleJob: NamedRunKind {
  var environment: CartPoleSettings { get set }
}

extension CartPoleRun: CartPoleJob, ReplayableRun {
  /// Plays one greedy episode of the Q-network at `model` in the terminal.
  public func replay(model: URL) throws {
    try CartPoleReplay.play(model, physics: environment, seed: seed)
  }
}

extension CartPoleQLearningRun: CartPoleJob {}

extension CartPolePhysics {
  /// The cart-pole job of a run's `config.yaml` at `url` (DQN or the tabular baseline).
  public static func job(configAt url: URL) throws -> any CartPoleJob {
    isTabularRunConfig(url)
      ? try CartPoleQLearningRun(configAt: url) : try CartPoleRun(configAt: url)
  }
}

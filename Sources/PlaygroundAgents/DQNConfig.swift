import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore

/// Every setting of DQN (Mnih et al., 2015; CleanRL's `dqn.py`, Stable-Baselines3's `DQN`);
/// `agents/dqn.yaml` holds the same keys. The defaults are rl-baselines3-zoo's CartPole-v1
/// hyper-parameters with a 64×64 network instead of 256×256 (it solves as reliably, 4× faster),
/// Double DQN, and a greedy evaluation every 1,000 steps.
public struct DQNConfig: ComputeSettable, Equatable, Sendable {
  /// Environment steps of training (the budget; training stops early once solved).
  public var totalSteps = 50_000
  /// Hidden layer widths of the Q-network; input and output sizes come from the environment.
  public var hiddenSizes = [64, 64]
  /// Adam's step size.
  public var learningRate = 2.3e-3
  /// The discount γ.
  public var discount = 0.99
  /// Transitions kept for replay.
  public var bufferSize = 100_000
  /// Transitions per gradient step.
  public var batchSize = 64
  /// Environment steps before learning starts (filled with random actions).
  public var learningStarts = 1_000
  /// Learn every this many environment steps…
  public var trainFrequency = 256
  /// …with this many gradient steps.
  public var gradientSteps = 128
  /// Copy the online network to the target every this many environment steps (with `tau` 1),
  /// or blend it in with weight `tau` (Polyak).
  public var targetUpdateInterval = 10
  /// The weight of the online network in a target update: 1 is a hard copy.
  public var tau = 1.0
  /// Choose the next action with the online network and value it with the target (van Hasselt
  /// et al., 2016).
  public var doubleDQN = true
  /// The temporal-difference loss: `huber` (DQN's) or `mse`.
  public var loss = DQNLoss.huber
  /// Clip the gradients' global norm to this (0: no clipping).
  public var maxGradientNorm = 10.0
  /// ε of ε-greedy, decaying linearly from the start value to the end value…
  public var epsilonStart = 1.0
  public var epsilonEnd = 0.04
  /// …over this share of `total_steps`.
  public var explorationFraction = 0.16
  /// Evaluate the greedy policy every this many steps…
  public var evaluationInterval = 1_000
  /// …over this many episodes.
  public var evaluationEpisodes = 100
  /// Stop once the evaluation's mean return reaches this (Gymnasium's CartPole-v1 threshold).
  public var solvedReturn = 475.0
  /// `backend:`, `threads:` and `seed:`, the settings of every run computing with tensors.
  public var embedded = ComputeRunSettings()

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case totalSteps = "total_steps"
    case hiddenSizes = "hidden_sizes"
    case learningRate = "learning_rate"
    case discount
    case bufferSize = "buffer_size"
    case batchSize = "batch_size"
    case learningStarts = "learning_starts"
    case trainFrequency = "train_frequency"
    case gradientSteps = "gradient_steps"
    case targetUpdateInterval = "target_update_interval"
    case tau
    case doubleDQN = "double_dqn"
    case loss
    case maxGradientNorm = "max_gradient_norm"
    case epsilonStart = "epsilon_start"
    case epsilonEnd = "epsilon_end"
    case explorationFraction = "exploration_fraction"
    case evaluationInterval = "evaluation_interval"
    case evaluationEpisodes = "evaluation_episodes"
    case solvedReturn = "solved_return"
  }

  /// The bytes a DQN of these settings holds: the online and target networks with gradients
  /// and Adam's two moments, the replay buffer, and a batch's activations forward and back.
  public func estimatedBytes(observationSize: Int, actionCount: Int) -> Double {
    let sizes = [observationSize] + hiddenSizes + [actionCount]
    let parameters = zip(sizes, sizes.dropFirst()).reduce(0.0) {
      $0 + Double($1.0) * Double($1.1) + Double($1.1)
    }
    let networks = parameters * 4 * 5
    let buffer = Double(bufferSize) * (Double(2 * observationSize + 3) * 4 + 8)
    let activations = Double(batchSize) * Double(sizes.reduce(0, +)) * 4 * 4
    return networks + buffer + activations
  }

  public func validate() throws {
    try Require.that("total_steps", totalSteps, is: "positive") { $0 >= 1 }
    // Caps on what sizes memory and time: far above any CartPole run, far below a crash.
    try Require.that("total_steps", totalSteps, is: "at most 10^9") { $0 <= 1_000_000_000 }
    try Require.that("buffer_size", bufferSize, is: "at most 10^7") { $0 <= 10_000_000 }
    try Require.that("batch_size", batchSize, is: "at most 65536") { $0 <= 65536 }
    try Require.that("hidden_sizes", hiddenSizes.count, is: "at most 8 layers long") { $0 <= 8 }
    try Require.that("hidden_sizes' widths", hiddenSizes.max() ?? 0, is: "at most 8192") {
      $0 <= 8192
    }
    guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 >= 1 }) else {
      throw RunError("hidden_sizes must list positive widths, got \(hiddenSizes)")
    }
    try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
    try Require.that("discount", discount, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("batch_size", batchSize, is: "positive") { $0 >= 1 }
    guard bufferSize >= batchSize else {
      throw RunError("buffer_size (\(bufferSize)) must be at least batch_size (\(batchSize))")
    }
    try Require.that("learning_starts", learningStarts, is: "non-negative") { $0 >= 0 }
    try Require.that("train_frequency", trainFrequency, is: "positive") { $0 >= 1 }
    try Require.that("gradient_steps", gradientSteps, is: "positive") { $0 >= 1 }
    try Require.that("target_update_interval", targetUpdateInterval, is: "positive") { $0 >= 1 }
    try Require.that("tau", tau, is: "in (0, 1]") { $0 > 0 && $0 <= 1 }
    try Require.that("max_gradient_norm", maxGradientNorm, is: "non-negative") { $0 >= 0 }
    try Require.that("epsilon_start", epsilonStart, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("epsilon_end", epsilonEnd, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("exploration_fraction", explorationFraction, is: "in (0, 1]") {
      $0 > 0 && $0 <= 1
    }
    try Require.that("evaluation_interval", evaluationInterval, is: "positive") { $0 >= 1 }
    try Require.that("evaluation_episodes", evaluationEpisodes, is: "positive") { $0 >= 1 }
    // Each evaluation plays this many greedy episodes (the default 100).
    try Require.that("evaluation_episodes", evaluationEpisodes, is: "at most 10^5") {
      $0 <= 100_000
    }
    try Require.that("solved_return", solvedReturn, is: "a number") { _ in true }
  }

  /// ε after `step` environment steps.
  public func epsilon(atStep step: Int) -> Double {
    let progress = min(Double(step) / (Double(totalSteps) * explorationFraction), 1)
    return epsilonStart + (epsilonEnd - epsilonStart) * progress
  }
}

/// The loss between a Q-value and its temporal-difference target.
public enum DQNLoss: String, ConfigChoice {
  /// Smooth L1 with δ = 1, as in Mnih et al. (2015) and Stable-Baselines3.
  case huber
  /// Mean squared error.
  case mse
}

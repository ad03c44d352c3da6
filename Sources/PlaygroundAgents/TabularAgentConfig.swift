import Foundation
import PlaygroundConfig

/// The update rules of the tabular agents (Sutton & Barto, ch. 6).
public enum TabularAlgorithm: String, ConfigChoice {
  /// Off-policy: bootstraps from the best next action (Watkins, 1989).
  case qLearning = "q-learning"
  /// On-policy: bootstraps from the next action actually taken (Rummery & Niranjan, 1994).
  case sarsa
  /// Bootstraps from the expectation over the ε-greedy policy (van Seijen et al., 2009).
  case expectedSarsa = "expected-sarsa"
}

/// How a hyper-parameter moves from its start to its end value over training.
public enum Schedule: String, ConfigChoice {
  case constant
  /// Straight from start to end over the decay period, then flat.
  case linear
  /// Geometric from start to end over the decay period, then flat.
  case exponential

  /// The value after `progress` (0 to 1) of the decay period.
  public func value(start: Double, end: Double, progress: Double) -> Double {
    let t = min(max(progress, 0), 1)
    switch self {
    case .constant: return start
    case .linear: return start + (end - start) * t
    case .exponential: return start * pow(end / start, t)
    }
  }
}

/// Every setting of a tabular agent; `agents/q-learning.yaml`, `agents/sarsa.yaml` and
/// `agents/expected-sarsa.yaml` hold the same keys (the three agents differ only in the update
/// rule, so they share this struct).
public struct TabularAgentConfig: SeededConfig, Equatable, Sendable {
  /// The update rule.
  public var algorithm: TabularAlgorithm = .qLearning
  /// Training episodes.
  public var episodes = 100_000
  /// The discount γ of future rewards, in [0, 1].
  public var discount = 0.999
  /// The step size α at the start.
  public var learningRate = 0.1
  /// The step size at the end of the decay period.
  public var finalLearningRate = 0.01
  /// How α moves from `learning_rate` to `final_learning_rate` over all episodes.
  public var learningRateSchedule: Schedule = .linear
  /// ε of ε-greedy exploration at the start.
  public var epsilonStart = 1.0
  /// ε at the end of the exploration period.
  public var epsilonEnd = 0.01
  /// How ε decays.
  public var epsilonSchedule: Schedule = .exponential
  /// The share of the episodes over which ε decays, in (0, 1].
  public var explorationFraction = 0.5
  /// Greedy episodes of the final evaluation.
  public var evaluationEpisodes = 1_000
  /// The seed of every random choice (exploration, ties, slips).
  public var seed: UInt64 = 0

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case algorithm, episodes, discount
    case learningRate = "learning_rate"
    case finalLearningRate = "final_learning_rate"
    case learningRateSchedule = "learning_rate_schedule"
    case epsilonStart = "epsilon_start"
    case epsilonEnd = "epsilon_end"
    case epsilonSchedule = "epsilon_schedule"
    case explorationFraction = "exploration_fraction"
    case evaluationEpisodes = "evaluation_episodes"
    case seed
  }

  public func validate() throws {
    try Require.that("episodes", episodes, is: "at least 1") { $0 >= 1 }
    try Require.that("episodes", episodes, is: "at most 10^9") { $0 <= 1_000_000_000 }
    try Require.that("discount", discount, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("learning_rate", learningRate, is: "in (0, 1]") { $0 > 0 && $0 <= 1 }
    try Require.that("final_learning_rate", finalLearningRate, is: "in (0, 1]") {
      $0 > 0 && $0 <= 1
    }
    try Require.that("epsilon_start", epsilonStart, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("epsilon_end", epsilonEnd, is: "in [0, 1]") { (0...1).contains($0) }
    guard epsilonSchedule != .exponential || (epsilonStart > 0 && epsilonEnd > 0) else {
      throw RunError("an exponential epsilon_schedule needs epsilon_start and epsilon_end above 0")
    }
    try Require.that("exploration_fraction", explorationFraction, is: "in (0, 1]") {
      $0 > 0 && $0 <= 1
    }
    try Require.that("evaluation_episodes", evaluationEpisodes, is: "at least 1") { $0 >= 1 }
    // It multiplies the evaluation's time as episodes multiplies training's.
    try Require.that("evaluation_episodes", evaluationEpisodes, is: "at most 10^7") {
      $0 <= 10_000_000
    }
  }

  /// ε after `episode` episodes.
  public func epsilon(atEpisode episode: Int) -> Double {
    epsilonSchedule.value(
      start: epsilonStart, end: epsilonEnd,
      progress: Double(episode) / (Double(episodes) * explorationFraction))
  }

  /// α after `episode` episodes.
  public func learningRate(atEpisode episode: Int) -> Double {
    learningRateSchedule.value(
      start: learningRate, end: finalLearningRate, progress: Double(episode) / Double(episodes))
  }
}

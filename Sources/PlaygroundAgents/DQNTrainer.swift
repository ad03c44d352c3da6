import Foundation
import PlaygroundConfig
import PlaygroundEnvironments
import PlaygroundRandom

/// One finished training episode of DQN.
public struct DQNEpisode: Sendable, Equatable {
  /// Environment steps taken when the episode ended.
  public let step: Int
  public let episodeReturn: Double
  public let length: Int
  public let epsilon: Double
  /// The mean loss of the gradient steps during the episode (NaN before learning starts).
  public let meanLoss: Double
}

/// A greedy evaluation during training.
public struct DQNEvaluation: Sendable, Equatable {
  public let step: Int
  public let meanReturn: Double
  public let standardDeviation: Double

  /// The mean and (population) standard deviation of the episodes' `returns`.
  init(step: Int, returns: [Double]) {
    let mean = returns.reduce(0, +) / Double(returns.count)
    let variance = returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count)
    (self.step, meanReturn, standardDeviation) = (step, mean, variance.squareRoot())
  }
}

/// The DQN training loop (CleanRL's `dqn.py`): ε-greedy acting, replay, periodic learning and
/// target updates, greedy evaluation every `evaluation_interval` steps, early stop once solved.
public enum DQNTrainer {
  public struct Result {
    public let episodes: [DQNEpisode]
    public let evaluations: [DQNEvaluation]
    /// The step of the first evaluation at or above `solved_return`.
    public let solvedAtStep: Int?
    public let steps: Int
  }

  /// - Parameters:
  ///   - makeEnvironment: a fresh environment (training uses one; evaluation one per episode).
  ///   - generator: the run's generator; the environment gets stream 3, evaluation seeds stream 4.
  ///   - onStep: told each step, with the episode it ended if it ended one; an error it throws
  ///     ends training.
  ///   - onEvaluation: told each greedy evaluation; an error it throws ends training.
  public static func train<E: Environment>(
    _ makeEnvironment: () throws -> E, agent: DQNAgent, generator: RandomGenerator,
    onStep: (Int, DQNEpisode?) throws -> Void = { _, _ in },
    onEvaluation: (DQNEvaluation) throws -> Void = { _ in }
  ) throws -> Result where E.Observation == [Float] {
    let config = agent.config
    let env = try makeEnvironment()
    let random = generator.derived(stream: 3)
    var buffer = ReplayBuffer(capacity: config.bufferSize, observationSize: agent.observationSize)
    var observation = env.reset(seed: random.seed)
    var episodes: [DQNEpisode] = []
    var evaluations: [DQNEvaluation] = []
    var (episodeReturn, length, lossSum, lossCount) = (0.0, 0, 0.0, 0)
    var solvedAt: Int?
    var step = 0
    let evaluationSeed = generator.derived(stream: 4).seed
    while step < config.totalSteps {
      step += 1
      let epsilon = config.epsilon(atStep: step)
      let action =
        step <= config.learningStarts
        ? random.integer(below: agent.actionCount) : agent.action(observation, epsilon: epsilon)
      let result = env.step(action)
      buffer.add(
        observation: observation, action: action, reward: result.reward,
        nextObservation: result.observation,
        terminated: result.terminated)
      episodeReturn += result.reward
      length += 1
      observation = result.observation
      if step > config.learningStarts && step % config.trainFrequency == 0 {
        for _ in 0..<config.gradientSteps {
          let loss = Double(agent.learn(from: buffer))
          guard loss.isFinite else {
            throw RunError.diverged(
              at: "step \(step) (episode \(episodes.count + 1))", loss: loss,
              lower: "learning_rate (now \(config.learningRate))")
          }
          lossSum += loss
          lossCount += 1
        }
      }
      if step % config.targetUpdateInterval == 0 { agent.updateTarget() }
      var finished: DQNEpisode?
      if result.isDone {
        finished = DQNEpisode(
          step: step, episodeReturn: episodeReturn, length: length, epsilon: epsilon,
          meanLoss: lossCount > 0 ? lossSum / Double(lossCount) : .nan)
        episodes.append(finished!)
        (episodeReturn, length, lossSum, lossCount) = (0, 0, 0, 0)
        observation = env.reset()
      }
      try onStep(step, finished)
      if step % config.evaluationInterval == 0 || step == config.totalSteps {
        let returns = try evaluate(
          makeEnvironment, agent: agent, episodes: config.evaluationEpisodes, seed: evaluationSeed)
        let evaluation = DQNEvaluation(step: step, returns: returns)
        evaluations.append(evaluation)
        try onEvaluation(evaluation)
        if evaluation.meanReturn >= config.solvedReturn {
          solvedAt = step
          break
        }
      }
    }
    return Result(episodes: episodes, evaluations: evaluations, solvedAtStep: solvedAt, steps: step)
  }

  /// The returns of `episodes` greedy episodes from seeds `seed`, `seed + 1`, …, run side by
  /// side so that each step's actions come from one batched forward pass.
  public static func evaluate<E: Environment>(
    _ makeEnvironment: () throws -> E, agent: DQNAgent, episodes: Int, seed: UInt64
  ) throws -> [Double] where E.Observation == [Float] {
    let environments = try (0..<episodes).map { _ in try makeEnvironment() }
    var observations = environments.enumerated().map {
      $0.element.reset(seed: seed &+ UInt64($0.offset))
    }
    var returns = [Double](repeating: 0, count: episodes)
    var active = Array(0..<episodes)
    while !active.isEmpty {
      let actions = agent.greedyActions(active.flatMap { observations[$0] })
      var stillActive: [Int] = []
      for (k, index) in active.enumerated() {
        let result = environments[index].step(actions[k])
        returns[index] += result.reward
        observations[index] = result.observation
        if !result.isDone { stillActive.append(index) }
      }
      active = stillActive
    }
    return returns
  }
}

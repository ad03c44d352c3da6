import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundRandom

/// ``DQNTrainer``'s loop for a ``DQNSeedBatch``: the seeds' environments are the copies of one
/// vector environment (same-step autoreset, so every copy takes an environment step on every
/// step of the loop), their learning steps one batched call, their greedy evaluations one vector
/// of `seeds × evaluation_episodes` copies. Seed `s` draws from the streams a single run of seed
/// `s` uses (environment: 3, evaluation seeds: 4); a seed stops when it is solved, diverges or
/// reaches `total_steps`, the others go on. Its results equal those of the same seed in a
/// batch of one.
public enum DQNSeedBatchTrainer {
  /// One seed's outcome: its training result, or the divergence that ended it.
  public struct Outcome {
    public var episodes: [DQNEpisode] = []
    public var evaluations: [DQNEvaluation] = []
    public var solvedAtStep: Int?
    public var steps = 0
    /// Why training stopped early with a non-finite loss.
    public var divergence: RunError?

    public var result: DQNTrainer.Result {
      DQNTrainer.Result(
        episodes: episodes, evaluations: evaluations, solvedAtStep: solvedAtStep, steps: steps)
    }
  }

  /// - Parameters:
  ///   - makeVector: a vector of `count` fresh environments.
  ///   - onStep: told each step of the loop (for progress; an error it throws ends training).
  ///   - onEpisode, onEvaluation: told with the seed's index.
  public static func train<V: VectorEnvironment>(
    _ makeVector: (Int) throws -> V, batch: DQNSeedBatch,
    onStep: (Int) throws -> Void = { _ in },
    onEpisode: (Int, DQNEpisode) -> Void = { _, _ in },
    onEvaluation: (Int, DQNEvaluation) -> Void = { _, _ in }
  ) throws -> [Outcome] where V.Value == Float {
    let config = batch.config
    let count = batch.seeds.count
    let width = batch.observationSize
    let generators = batch.seeds.map(RandomGenerator.init(seed:))
    let randoms = generators.map { $0.derived(stream: 3) }
    let evaluationSeeds = generators.map { $0.derived(stream: 4).seed }
    let env = try makeVector(count)
    env.autoreset = .sameStep
    env.reset(seeds: randoms.map(\.seed))
    var buffers = (0..<count).map { _ in
      ReplayBuffer(capacity: config.bufferSize, observationSize: width)
    }
    var outcomes = [Outcome](repeating: Outcome(), count: count)
    var running = (0..<count).map { _ in (episodeReturn: 0.0, length: 0, lossSum: 0.0, lossCount: 0)
    }
    var active = Array(0..<count)
    var observations = env.observations
    var actions = [Int](repeating: 0, count: count)
    var step = 0
    while step < config.totalSteps && !active.isEmpty {
      step += 1
      let epsilon = config.epsilon(atStep: step)
      observations.withUnsafeBufferPointer { o in
        for i in active {
          actions[i] =
            step <= config.learningStarts
            ? randoms[i].integer(below: batch.actionCount)
            : batch.action(i, o.baseAddress! + i * width, epsilon: epsilon)
        }
      }
      env.step(actions)
      let (rewards, terminated, truncated) = (env.rewards, env.terminated, env.truncated)
      let last = env.finalObservations
      for i in active {
        buffers[i].add(
          observation: observations[i * width..<(i + 1) * width], action: actions[i],
          reward: rewards[i], nextObservation: last[i * width..<(i + 1) * width],
          terminated: terminated[i])
        running[i].episodeReturn += rewards[i]
        running[i].length += 1
        outcomes[i].steps = step
      }
      if step > config.learningStarts && step % config.trainFrequency == 0 {
        for _ in 0..<config.gradientSteps {
          let losses = batch.learn(active, buffers: buffers)
          for (i, loss) in zip(active, losses) {
            guard loss.isFinite else {
              outcomes[i].divergence = RunError.diverged(
                at: "step \(step) (episode \(outcomes[i].episodes.count + 1))", loss: Double(loss),
                lower: "learning_rate (now \(config.learningRate))")
              continue
            }
            running[i].lossSum += Double(loss)
            running[i].lossCount += 1
          }
          active.removeAll { outcomes[$0].divergence != nil }
        }
      }
      if step % config.targetUpdateInterval == 0 { batch.updateTargets(active) }
      for i in active where terminated[i] || truncated[i] {
        let r = running[i]
        let episode = DQNEpisode(
          step: step, episodeReturn: r.episodeReturn, length: r.length, epsilon: epsilon,
          meanLoss: r.lossCount > 0 ? r.lossSum / Double(r.lossCount) : .nan)
        outcomes[i].episodes.append(episode)
        onEpisode(i, episode)
        running[i] = (0, 0, 0, 0)
      }
      observations = env.observations
      try onStep(step)
      if step % config.evaluationInterval == 0 || step == config.totalSteps {
        let returns = try evaluate(makeVector, batch: batch, seeds: active, from: evaluationSeeds)
        for (i, values) in zip(active, returns) {
          let evaluation = DQNEvaluation(step: step, returns: values)
          outcomes[i].evaluations.append(evaluation)
          onEvaluation(i, evaluation)
          if evaluation.meanReturn >= config.solvedReturn { outcomes[i].solvedAtStep = step }
        }
        active.removeAll { outcomes[$0].solvedAtStep != nil }
      }
    }
    return outcomes
  }

  /// ``DQNTrainer/evaluate(_:agent:episodes:seed:)`` for each seed of `active`: its
  /// `evaluation_episodes` greedy episodes from seeds `seeds[i]`, `seeds[i] + 1`, …, all as the
  /// copies of one vector, each seed's actions from one forward pass over its copies.
  static func evaluate<V: VectorEnvironment>(
    _ makeVector: (Int) throws -> V, batch: DQNSeedBatch, seeds active: [Int],
    from seeds: [UInt64]
  ) throws -> [[Double]] where V.Value == Float {
    let episodes = batch.config.evaluationEpisodes
    let width = batch.observationSize
    let env = try makeVector(active.count * episodes)
    env.reset(seeds: active.flatMap { i in (0..<episodes).map { seeds[i] &+ UInt64($0) } })
    var returns = [Double](repeating: 0, count: active.count * episodes)
    var finished = [Bool](repeating: false, count: active.count * episodes)
    var actions = [Int](repeating: 0, count: active.count * episodes)
    var left = active.count * episodes
    while left > 0 {
      let observations = env.observations
      observations.withUnsafeBufferPointer { o in
        actions.withUnsafeMutableBufferPointer { chosen in
          let out = chosen.baseAddress!
          Parallel.forEachChunk(active.count, work: active.count << 20) { range in
            for k in range {
              let first = k * episodes
              let greedy = batch.greedyActions(
                active[k], o.baseAddress! + first * width, rows: episodes)
              for j in 0..<episodes { out[first + j] = greedy[j] }
            }
          }
        }
      }
      env.step(actions)
      let (rewards, terminated, truncated) = (env.rewards, env.terminated, env.truncated)
      for c in 0..<finished.count where !finished[c] {
        returns[c] += rewards[c]
        if terminated[c] || truncated[c] {
          finished[c] = true
          left -= 1
        }
      }
    }
    return active.indices.map { k in Array(returns[k * episodes..<(k + 1) * episodes]) }
  }
}

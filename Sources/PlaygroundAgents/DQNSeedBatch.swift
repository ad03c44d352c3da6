import PlaygroundCore
import PlaygroundNN
import PlaygroundRandom

/// ``DQNAgent``'s algorithm for several seeds at once: one Q-network per seed, all stacked
/// (``StackedMLP``), each with its own target network, Adam moments, exploration stream and
/// gradient steps — split across the threads a seed at a time. Seed `s` draws from the same
/// streams as a ``DQNAgent`` of seed `s` (weights: 1, exploration and replay sampling: 2), and
/// its numbers never depend on which other seeds share the batch.
public final class DQNSeedBatch {
  public let config: DQNConfig
  public let seeds: [UInt64]
  public let observationSize: Int
  public let actionCount: Int
  public let online: StackedMLP
  public let target: StackedMLP
  let optimizer: StackedAdam
  /// Each seed's stream 2: ε-greedy choices and replay samples.
  let exploration: [RandomGenerator]
  /// Per seed: activations of a learning step, of its next observations, of acting.
  let learning: [StackedMLP.Workspace]
  let looking: [StackedMLP.Workspace]
  let acting: [StackedMLP.Workspace]
  /// Per seed, ``StackedMLP/parameterCount`` floats of gradient.
  let gradients: UnsafeMutablePointer<Float>

  /// - Parameter actingRows: the most observations one seed acts on at once (its evaluation
  ///   episodes).
  public init(
    seeds: [UInt64], observationSize: Int, actionCount: Int, config: DQNConfig, actingRows: Int
  ) {
    precondition(!seeds.isEmpty, "a batch needs at least one seed")
    self.config = config
    self.seeds = seeds
    self.observationSize = observationSize
    self.actionCount = actionCount
    let generators = seeds.map(RandomGenerator.init(seed:))
    let networks = generators.map {
      DQNAgent.network(observationSize, config.hiddenSizes, actionCount, $0.derived(stream: 1))
    }
    online = StackedMLP(networks)
    target = StackedMLP(networks)
    optimizer = StackedAdam(for: online, learningRate: Float(config.learningRate))
    exploration = generators.map { $0.derived(stream: 2) }
    let sizes = online.sizes
    learning = seeds.map { _ in StackedMLP.Workspace(sizes: sizes, rows: config.batchSize) }
    looking = seeds.map { _ in StackedMLP.Workspace(sizes: sizes, rows: config.batchSize) }
    acting = seeds.map { _ in StackedMLP.Workspace(sizes: sizes, rows: max(1, actingRows)) }
    let total = seeds.count * online.parameterCount
    gradients = .allocate(capacity: total)
    gradients.initialize(repeating: 0, count: total)
  }

  deinit { gradients.deallocate() }

  /// Seed `i`'s greedy actions for `rows` observations (`[rows, observationSize]`).
  public func greedyActions(_ i: Int, _ observations: UnsafePointer<Float>, rows: Int) -> [Int] {
    online.forward(i, observations, rows: rows, in: acting[i])
    return Self.argmax(acting[i].output, rows: rows, width: actionCount)
  }

  /// Seed `i`'s ε-greedy action for one observation, from its exploration stream.
  public func action(_ i: Int, _ observation: UnsafePointer<Float>, epsilon: Double) -> Int {
    let random = exploration[i]
    if random.unitDouble() < epsilon { return random.integer(below: actionCount) }
    return greedyActions(i, observation, rows: 1)[0]
  }

  /// One gradient step for each seed of `active`, each on a batch from its own buffer; returns
  /// each one's loss (in `active`'s order).
  public func learn(_ active: [Int], buffers: [ReplayBuffer]) -> [Float] {
    var losses = [Float](repeating: 0, count: active.count)
    losses.withUnsafeMutableBufferPointer { losses in
      let out = losses.baseAddress!
      Parallel.forEachChunk(active.count, work: active.count << 20) { range in
        for k in range { out[k] = learn(active[k], from: buffers[active[k]]) }
      }
    }
    return losses
  }

  /// Moves each seed's target network toward its online one (a copy when `tau` is 1).
  public func updateTargets(_ active: [Int]) {
    for i in active { target.softUpdate(i, from: online, tau: Float(config.tau)) }
  }

  /// ``DQNAgent/learn(from:)`` for seed `i` alone.
  private func learn(_ i: Int, from buffer: ReplayBuffer) -> Float {
    let batch = buffer.sample(config.batchSize, generator: exploration[i])
    let n = batch.actions.count
    let targets = batch.nextObservations.withUnsafeBufferPointer { next in
      targetValues(i, next.baseAddress!, batch)
    }
    let width = actionCount
    let workspace = learning[i]
    var loss: Float = 0
    batch.observations.withUnsafeBufferPointer { observations in
      online.forward(i, observations.baseAddress!, rows: n, in: workspace)
      let (q, dq) = (workspace.output, workspace.outputGradient)
      dq.update(repeating: 0, count: n * width)
      for r in 0..<n {
        let d = q[r * width + batch.actions[r]] - targets[r]
        let (value, slope) = lossAndSlope(d)
        loss += value
        dq[r * width + batch.actions[r]] = slope / Float(n)
      }
      let gradient = gradients + i * online.parameterCount
      online.backward(i, rows: n, in: workspace, into: gradient)
      if config.maxGradientNorm > 0 {
        optimizer.clip(gradient, maxNorm: Float(config.maxGradientNorm))
      }
      optimizer.step(i, gradient: gradient)
    }
    return loss / Float(n)
  }

  /// r + γ(1 − terminal)·Q_target(s′, a′), a′ chosen by the online network (Double DQN) or the
  /// target's own maximum.
  private func targetValues(_ i: Int, _ next: UnsafePointer<Float>, _ batch: ReplayBuffer.Batch)
    -> [Float]
  {
    let n = batch.actions.count
    let width = actionCount
    var chosen: [Int]? = nil
    if config.doubleDQN {
      online.forward(i, next, rows: n, in: looking[i])
      chosen = Self.argmax(looking[i].output, rows: n, width: width)
    }
    target.forward(i, next, rows: n, in: looking[i])
    let q = looking[i].output
    let gamma = Float(config.discount)
    return (0..<n).map { r in
      let row = q + r * width
      let value = chosen.map { row[$0[r]] } ?? (1..<width).reduce(row[0]) { Swift.max($0, row[$1]) }
      return batch.rewards[r] + gamma * (1 - batch.terminals[r]) * value
    }
  }

  /// The loss of one difference and its derivative: Huber (δ = 1) or squared error.
  private func lossAndSlope(_ d: Float) -> (Float, Float) {
    if config.loss == .mse { return (d * d, 2 * d) }
    let distance = abs(d)
    let quadratic = Swift.min(distance, 1)
    return (
      0.5 * quadratic * quadratic + (distance - quadratic), distance < 1 ? d : (d > 0 ? 1 : -1)
    )
  }

  /// The first index of each row's maximum.
  static func argmax(_ values: UnsafePointer<Float>, rows: Int, width: Int) -> [Int] {
    (0..<rows).map { r in
      var best = 0
      for a in 1..<width where values[r * width + a] > values[r * width + best] { best = a }
      return best
    }
  }
}

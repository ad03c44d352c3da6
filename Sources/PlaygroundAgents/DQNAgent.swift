import PlaygroundCore
import PlaygroundNN

/// Deep Q-learning (Mnih et al., 2015): an online Q-network trained on replayed transitions
/// toward targets from a slowly updated copy, with the Double-DQN option (van Hasselt et al.,
/// 2016). Bootstraps through truncation: only a terminal transition stops the bootstrap.
public final class DQNAgent {
  public let config: DQNConfig
  public let observationSize: Int
  public let actionCount: Int
  public let online: Sequential
  public let target: Sequential
  private let optimizer: Adam
  private let generator: RandomGenerator

  /// - Parameter generator: seeds the weights (stream 1) and the exploration (stream 2).
  public init(observationSize: Int, actionCount: Int, config: DQNConfig, generator: RandomGenerator)
  {
    self.config = config
    self.observationSize = observationSize
    self.actionCount = actionCount
    online = DQNAgent.network(
      observationSize, config.hiddenSizes, actionCount, generator.derived(stream: 1))
    target = DQNAgent.network(
      observationSize, config.hiddenSizes, actionCount, generator.derived(stream: 1))
    target.copyState(from: online)
    optimizer = Adam(for: online, learningRate: Float(config.learningRate))
    self.generator = generator.derived(stream: 2)
  }

  /// `observation → hidden (ReLU) … → one Q-value per action`, PyTorch's default initialization.
  public static func network(
    _ inputs: Int, _ hidden: [Int], _ outputs: Int, _ generator: RandomGenerator
  ) -> Sequential {
    let sizes = [inputs] + hidden
    var layers: [any Layer] = []
    for (a, b) in zip(sizes, sizes.dropFirst()) {
      layers.append(
        Dense(
          inputSize: a, outputSize: b, activation: .relu, weightInitializer: .pytorchDefault,
          biasInitializer: .pytorchDefault, generator: generator))
    }
    layers.append(
      Dense(
        inputSize: sizes.last!, outputSize: outputs, weightInitializer: .pytorchDefault,
        biasInitializer: .pytorchDefault, generator: generator))
    return Sequential(layers)
  }

  /// The greedy actions of a batch of observations (`[n · observationSize]`).
  public func greedyActions(_ observations: [Float]) -> [Int] {
    let n = observations.count / observationSize
    return withoutGradient {
      online(Tensor(shape: [n, observationSize], scalars: observations)).argmaxLastAxis()
    }
  }

  /// A random action with probability ε, else the greedy one.
  public func action(_ observation: [Float], epsilon: Double) -> Int {
    if generator.unitDouble() < epsilon { return generator.integer(below: actionCount) }
    return greedyActions(observation)[0]
  }

  /// One gradient step on a sampled batch; returns the loss.
  @discardableResult
  public func learn(from buffer: ReplayBuffer) -> Float {
    let batch = buffer.sample(config.batchSize, generator: generator)
    let n = batch.actions.count
    let next = Tensor(shape: [n, observationSize], scalars: batch.nextObservations)
    let targets: [Float] = withoutGradient {
      let nextValues: [Float]
      if config.doubleDQN {
        let chosen = online(next).argmaxLastAxis()
        nextValues = target(next).gathering(columns: chosen).scalars
      } else {
        nextValues = target(next).max(alongAxes: [1]).scalars
      }
      let gamma = Float(config.discount)
      return (0..<n).map { batch.rewards[$0] + gamma * (1 - batch.terminals[$0]) * nextValues[$0] }
    }
    optimizer.zeroGradients()
    let predicted = online(Tensor(shape: [n, observationSize], scalars: batch.observations))
      .gathering(columns: batch.actions)
    let expected = Tensor(targets)
    let loss =
      config.loss == .mse
      ? meanSquaredError(predicted: predicted, expected: expected)
      : huberLoss(predicted: predicted, expected: expected)
    loss.backward()
    if config.maxGradientNorm > 0 {
      clipGradientNorm(online.parameters, maxNorm: Float(config.maxGradientNorm))
    }
    optimizer.step()
    return loss.item
  }

  /// Moves the target network toward the online one (a copy when `tau` is 1).
  public func updateTarget() {
    target.softUpdate(from: online, tau: Float(config.tau))
  }
}

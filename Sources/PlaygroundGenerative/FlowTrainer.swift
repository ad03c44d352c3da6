import PlaygroundCore
import PlaygroundNN

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Trains a ``FlowUNet`` by flow matching (``FlowMatching``) with Adam, keeping an exponential
/// moving average of its weights for sampling; each step drops a share of the labels (replaced
/// by "no label") so that one network gives both velocities of classifier-free guidance (Ho &
/// Salimans, 2022).
public final class FlowTrainer {
  public let config: FlowConfig
  public let network: FlowUNet
  /// The moving average of `network`'s weights, which samples are drawn from.
  public let ema: ExponentialMovingAverage
  let optimizer: Adam
  /// Draws every step's label dropout, noise and times.
  let random: RandomGenerator

  /// - Parameter random: seeds the weights (stream 1) and the steps' draws (stream 2).
  public init(config: FlowConfig, classes: Int = 10, random: RandomGenerator) {
    self.config = config
    func unet() -> FlowUNet {
      FlowUNet(
        widths: config.widths, embeddingSize: config.embeddingSize, groups: config.groups,
        classes: classes, generator: random.derived(stream: 1))
    }
    network = unet()
    ema = ExponentialMovingAverage(
      of: network, into: unet(), decay: Float(config.emaDecay), warmup: config.emaWarmup)
    optimizer = Adam(for: network, learningRate: Float(config.learningRate))
    self.random = random.derived(stream: 2)
  }

  /// The averaged network.
  public var averaged: FlowUNet { ema.average as! FlowUNet }

  /// One step on `images` in [−1, 1] (`[N, 1, side, side]`) with their labels.
  /// - Returns: the loss before the update.
  @discardableResult
  public func step(images: Tensor, labels: [Int]) -> Float {
    let n = images.shape[0]
    let dropout = Float(config.labelDropout)
    let shown = labels.map { random.uniform() < dropout ? network.unconditionalLabel : $0 }
    let noise = random.normalTensor(images.shape)
    let times = (0..<n).map { _ in drawTime() }
    let x = FlowMatching.interpolate(noise: noise, images: images, times: times)
    optimizer.zeroGradients()
    let loss = FlowMatching.loss(
      predicted: network.velocity(x, times: times, labels: shown), noise: noise, images: images)
    loss.backward()
    optimizer.step()
    ema.update()
    return loss.item
  }

  private func drawTime() -> Float {
    switch config.timeSampling {
    case .uniform: return random.uniform()
    case .logitNormal: return 1 / (1 + expf(-random.normal()))
    }
  }
}

import PlaygroundCore
import PlaygroundNN

/// Adversarial training (Goodfellow et al., 2014) with the non-saturating generator loss and
/// binary cross-entropy on logits; Adam for both networks (DCGAN's lr 2e-4, β₁ 0.5); optional
/// one-sided label smoothing of the real targets.
public final class GANTrainer {
  public let config: GANConfig
  public let generator: GANGenerator
  public let discriminator: GANDiscriminator
  public let classes: Int
  let optimizerG: Adam
  let optimizerD: Adam
  /// Draws the noise and fake labels of every step.
  let random: RandomGenerator

  /// - Parameter random: seeds the weights (stream 1) and the noise and fake labels (stream 2).
  public init(config: GANConfig, side: Int = 28, classes: Int = 10, random: RandomGenerator) {
    self.config = config
    self.classes = classes
    (generator, discriminator) = GANNetworks.make(
      config, side: side, classes: classes, generator: random.derived(stream: 1))
    optimizerG = Adam(
      for: generator, learningRate: Float(config.learningRate), beta1: Float(config.beta1))
    optimizerD = Adam(
      for: discriminator, learningRate: Float(config.learningRate), beta1: Float(config.beta1))
    self.random = random.derived(stream: 2)
  }

  /// The discriminator's loss on real images (targets `real_label`) and on fakes (targets 0).
  public func discriminatorLoss(real: Tensor, labels: [Int]?, fake: Tensor, fakeLabels: [Int]?)
    -> Tensor
  {
    let n = real.shape[0]
    let realTargets = Tensor(repeating: Float(config.realLabel), shape: [n, 1])
    return sigmoidCrossEntropy(
      logits: discriminator.judge(real, labels: labels), labels: realTargets)
      + sigmoidCrossEntropy(
        logits: discriminator.judge(fake, labels: fakeLabels),
        labels: Tensor.zeros([fake.shape[0], 1]))
  }

  /// The generator's non-saturating loss: the discriminator's cross-entropy against "real".
  public func generatorLoss(fake: Tensor, fakeLabels: [Int]?) -> Tensor {
    sigmoidCrossEntropy(
      logits: discriminator.judge(fake, labels: fakeLabels),
      labels: Tensor.ones([fake.shape[0], 1]))
  }

  /// One discriminator step then one generator step on a batch of real images in [−1, 1]
  /// (`[n, 1, side, side]`) with their labels (when conditional).
  /// - Returns: both losses before the updates.
  @discardableResult
  public func step(real: Tensor, labels: [Int]?) -> (discriminator: Float, generator: Float) {
    let n = real.shape[0]
    let noise = random.normalTensor([n, config.latentSize])
    let fakeLabels = config.conditional ? (0..<n).map { _ in random.integer(below: classes) } : nil
    let fake = generator.generate(noise: noise, labels: fakeLabels)
    optimizerD.zeroGradients()
    let lossD = discriminatorLoss(
      real: real, labels: labels, fake: fake.detached(), fakeLabels: fakeLabels)
    lossD.backward()
    optimizerD.step()
    // The generator's step needs gradients through the discriminator, not of its weights
    // (PyTorch computes and discards them; skipping them saves a third of its backward pass).
    let judgeParameters = discriminator.parameters
    for parameter in judgeParameters { parameter.requiringGrad(false) }
    defer { for parameter in judgeParameters { parameter.requiringGrad(true) } }
    optimizerG.zeroGradients()
    let lossG = generatorLoss(fake: fake, fakeLabels: fakeLabels)
    lossG.backward()
    optimizerG.step()
    return (lossD.item, lossG.item)
  }
}

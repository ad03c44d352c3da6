import PlaygroundCore
import PlaygroundNN

/// A GAN's generator: noise (and, when conditional, a class label) to an image in [−1, 1],
/// `[n, 1, side, side]`.
public final class GANGenerator: Layer {
  public let latentSize: Int
  public let side: Int
  /// The label embedding of a conditional generator (10 numbers per class, appended to the noise).
  public let embedding: Embedding?
  public let body: Sequential

  init(latentSize: Int, side: Int, embedding: Embedding?, body: Sequential) {
    self.latentSize = latentSize
    self.side = side
    self.embedding = embedding
    self.body = body
  }

  /// Images from `noise` (`[n, latentSize]`) and, for a conditional generator, one label each.
  public func generate(noise: Tensor, labels: [Int]?) -> Tensor {
    precondition(
      (embedding == nil) == (labels == nil),
      "a conditional generator needs labels, an unconditional one none")
    var input = noise
    if let embedding, let labels {
      input = Tensor.concatenate([noise, embedding(labels)], alongAxis: 1)
    }
    return body(input)
  }

  /// Unconditional generation.
  public func callAsFunction(_ noise: Tensor) -> Tensor { generate(noise: noise, labels: nil) }

  public var namedParameters: [NamedTensor] {
    (embedding.map { $0.namedParameters.map { ("embedding.\($0.name)", $0.tensor) } } ?? [])
      + body.namedParameters
  }
  public var namedBuffers: [NamedTensor] { body.namedBuffers }
  public func setTraining(_ training: Bool) { body.setTraining(training) }
}

/// A GAN's discriminator: an image (and, when conditional, its label) to one logit, `[n, 1]`.
public final class GANDiscriminator: Layer {
  public let side: Int
  /// The label embedding: appended to the flattened image (MLP) or as an extra image channel (DCGAN).
  public let embedding: Embedding?
  let embedsAsChannel: Bool
  public let body: Sequential

  init(side: Int, embedding: Embedding?, embedsAsChannel: Bool, body: Sequential) {
    self.side = side
    self.embedding = embedding
    self.embedsAsChannel = embedsAsChannel
    self.body = body
  }

  /// Logits for `images` (`[n, 1, side, side]`) and, when conditional, their labels.
  public func judge(_ images: Tensor, labels: [Int]?) -> Tensor {
    precondition(
      (embedding == nil) == (labels == nil),
      "a conditional discriminator needs labels, an unconditional one none")
    guard let embedding, let labels else {
      return body(embedsAsChannel ? images : images.flattened())
    }
    if embedsAsChannel {
      let channel = embedding(labels).reshaped([labels.count, 1, side, side])
      return body(Tensor.concatenate([images, channel], alongAxis: 1))
    }
    return body(Tensor.concatenate([images.flattened(), embedding(labels)], alongAxis: 1))
  }

  public func callAsFunction(_ images: Tensor) -> Tensor { judge(images, labels: nil) }

  public var namedParameters: [NamedTensor] {
    (embedding.map { $0.namedParameters.map { ("embedding.\($0.name)", $0.tensor) } } ?? [])
      + body.namedParameters
  }
  public var namedBuffers: [NamedTensor] { body.namedBuffers }
  public func setTraining(_ training: Bool) { body.setTraining(training) }
}

/// The networks of the anchors' `mlp` and `dcsmall` (and their conditional `c…` variants), and
/// of the TensorFlow tutorial's DCGAN, for square images of `side` pixels and `classes` labels.
public enum GANNetworks {
  public static func make(
    _ config: GANConfig, side: Int = 28, classes: Int = 10, generator random: RandomGenerator
  ) -> (generator: GANGenerator, discriminator: GANDiscriminator) {
    let builder = Builder(config: config, side: side, classes: classes, random: random)
    switch config.model {
    case .mlp: return builder.mlp()
    case .dcgan: return builder.dcgan()
    case .tfdcgan: return builder.tensorFlowDCGAN()
    }
  }

  /// Layers drawn from one random stream, in the order PyTorch's anchors create them.
  struct Builder {
    let config: GANConfig
    let side: Int
    let classes: Int
    let random: RandomGenerator

    var z: Int { config.latentSize }
    var pixels: Int { side * side }
    /// The label embedding's width appended to the noise (and to the MLP discriminator's input).
    var embedded: Int { config.conditional ? 10 : 0 }
    let lrelu = ActivationFunction.leakyRelu(negativeSlope: 0.2)

    func dense(_ a: Int, _ b: Int, _ activation: ActivationFunction = .identity) -> Dense {
      Dense(
        inputSize: a, outputSize: b, activation: activation, weightInitializer: .pytorchDefault,
        biasInitializer: .pytorchDefault, generator: random)
    }

    /// When conditional, the label's embedding is appended to the noise (10 numbers) and, in the
    /// discriminator, to the flattened image (MLP, 10 numbers) or as an extra image channel
    /// (the DCGANs).
    func networks(_ g: Sequential, _ d: Sequential, labelAsChannel: Bool) -> (
      GANGenerator, GANDiscriminator
    ) {
      (
        GANGenerator(
          latentSize: z, side: side,
          embedding: config.conditional
            ? Embedding(count: classes, dimension: 10, generator: random) : nil, body: g),
        GANDiscriminator(
          side: side,
          embedding: config.conditional
            ? Embedding(count: classes, dimension: labelAsChannel ? pixels : 10, generator: random)
            : nil,
          embedsAsChannel: labelAsChannel, body: d)
      )
    }

    func mlp() -> (GANGenerator, GANDiscriminator) {
      // PyTorch's `BatchNorm1d(o, 0.8)` in the anchors sets ε = 0.8.
      let g = Sequential([
        dense(z + embedded, 128, lrelu),
        dense(128, 256), BatchNorm(featureCount: 256, epsilon: 0.8), Activation(lrelu),
        dense(256, 512), BatchNorm(featureCount: 512, epsilon: 0.8), Activation(lrelu),
        dense(512, 1024), BatchNorm(featureCount: 1024, epsilon: 0.8), Activation(lrelu),
        dense(1024, pixels, .tanh), Reshape([1, side, side]),
      ])
      let d = Sequential([
        dense(pixels + embedded, 512, lrelu), dense(512, 256, lrelu), dense(256, 1),
      ])
      return networks(g, d, labelAsChannel: false)
    }

    func dcgan() -> (GANGenerator, GANDiscriminator) {
      precondition(side % 4 == 0, "the DCGAN needs an image side divisible by 4, got \(side)")
      let s = side / 4
      let g = Sequential([
        dense(z + embedded, 128 * s * s), BatchNorm(featureCount: 128 * s * s), Activation(.relu),
        Reshape([128, s, s]),
        ConvTranspose2D(
          inputChannels: 128, outputChannels: 64, kernelSize: 4, stride: 2, padding: 1,
          weightInitializer: .pytorchDefault, generator: random),
        BatchNorm(featureCount: 64), Activation(.relu),
        ConvTranspose2D(
          inputChannels: 64, outputChannels: 1, kernelSize: 4, stride: 2, padding: 1,
          activation: .tanh, weightInitializer: .pytorchDefault, generator: random),
      ])
      let d = Sequential([
        Conv2D(
          inputChannels: config.conditional ? 2 : 1, outputChannels: 64, kernelSize: 4, stride: 2,
          padding: 1,
          activation: lrelu, weightInitializer: .pytorchDefault, generator: random),
        Conv2D(
          inputChannels: 64, outputChannels: 128, kernelSize: 4, stride: 2, padding: 1,
          weightInitializer: .pytorchDefault, generator: random),
        BatchNorm(featureCount: 128), Activation(lrelu), Flatten(), dense(128 * s * s, 1),
      ])
      return networks(g, d, labelAsChannel: true)
    }

    func tensorFlowDCGAN() -> (GANGenerator, GANDiscriminator) {
      precondition(side % 4 == 0, "the DCGAN needs an image side divisible by 4, got \(side)")
      let s = side / 4
      let leaky = ActivationFunction.leakyRelu(negativeSlope: 0.3)
      func transposed(_ a: Int, _ b: Int, stride: Int, _ activation: ActivationFunction) -> Layer {
        ConvTranspose2D(
          inputChannels: a, outputChannels: b, kernelSize: 5, stride: stride, padding: 2,
          outputPadding: stride - 1, activation: activation, weightInitializer: .pytorchDefault,
          useBias: false, generator: random)
      }
      let g = Sequential([
        Dense(
          inputSize: z + embedded, outputSize: 256 * s * s, weightInitializer: .pytorchDefault,
          useBias: false, generator: random),
        BatchNorm(featureCount: 256 * s * s), Activation(leaky), Reshape([256, s, s]),
        transposed(256, 128, stride: 1, .identity), BatchNorm(featureCount: 128), Activation(leaky),
        transposed(128, 64, stride: 2, .identity), BatchNorm(featureCount: 64), Activation(leaky),
        transposed(64, 1, stride: 2, .tanh),
      ])
      let d = Sequential([
        Conv2D(
          inputChannels: config.conditional ? 2 : 1, outputChannels: 64, kernelSize: 5, stride: 2,
          padding: 2, activation: leaky, weightInitializer: .pytorchDefault, generator: random),
        Dropout(rate: 0.3, generator: random.derived(stream: 7)),
        Conv2D(
          inputChannels: 64, outputChannels: 128, kernelSize: 5, stride: 2, padding: 2,
          activation: leaky, weightInitializer: .pytorchDefault, generator: random),
        Dropout(rate: 0.3, generator: random.derived(stream: 8)),
        Flatten(), dense(128 * s * s, 1),
      ])
      return networks(g, d, labelAsChannel: true)
    }
  }
}

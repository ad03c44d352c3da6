import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData

/// The architectures of `playground gan`.
public enum GANModelKind: String, ConfigChoice {
  /// Fully connected: G 100→128→256→512→1024→784 with batch norm and LeakyReLU 0.2, tanh;
  /// D 784→512→256→1 with LeakyReLU 0.2 (the anchors' `mlp`).
  case mlp
  /// A small DCGAN (Radford et al., 2016) for 28×28: G Dense → 128×7×7 → ConvT 4×4/2 → 64 →
  /// ConvT 4×4/2 → 1 with batch norm and ReLU, tanh; D Conv 4×4/2 64 → Conv 4×4/2 128 with batch
  /// norm and LeakyReLU 0.2 → 1 logit (the anchors' `dcsmall`).
  case dcgan
  /// The TensorFlow DCGAN tutorial's networks: G Dense → 256×7×7 → ConvT 5×5 128 → ConvT 5×5/2
  /// 64 → ConvT 5×5/2 1, batch norm and LeakyReLU 0.3, no biases, tanh; D Conv 5×5/2 64 → Conv
  /// 5×5/2 128, LeakyReLU 0.3 and dropout 0.3 → 1 logit (the anchors' `dcgan`, with
  /// `agents/tf-dcgan.yaml`: batch 256, Adam 1e-4, β₁ 0.9).
  case tfdcgan
}

/// Every setting of a GAN; `agents/gan.yaml` (the fully connected GAN) and `agents/dcgan.yaml`
/// (the conditional small DCGAN, the default) hold the same keys.
public struct GANConfig: ComputeSettable, Equatable, Sendable {
  /// The images to learn: `mnist` or `fashion`.
  public var dataset: DatasetName = .mnist
  public var model: GANModelKind = .dcgan
  /// Label-conditioned generator and discriminator (draw a chosen digit).
  public var conditional = true
  /// The size of the noise vector.
  public var latentSize = 64
  public var batchSize = 64
  /// Adam's step size for both networks (DCGAN's 2e-4).
  public var learningRate = 2e-4
  /// Adam's β₁ (DCGAN's 0.5).
  public var beta1 = 0.5
  /// The target for real images in the discriminator's loss: 1, or 0.9 for one-sided label
  /// smoothing (Salimans et al., 2016).
  public var realLabel = 0.9
  /// Passes over the training images at most (0: as many as `minutes` allows).
  public var epochs = 0
  /// Stop after the epoch that passes this much training time, in minutes (0: no limit).
  public var minutes = 5.0
  /// Score samples with the playground's CNN every this many epochs (0: never).
  public var qualityEvery = 1
  /// Generated (and real test) images per score.
  public var qualitySamples = 1_000
  /// Finish with the generator of the scored epoch with the lowest Fréchet distance (as Keras'
  /// `restore_best_weights`): `samples/final.png`, `interpolation.png`, `generator.safetensors`
  /// and the summary's scores come from it; every epoch's sheet and metrics stay as trained.
  /// For GANs that get worse late in training, like the fully connected one.
  public var keepBest = false
  /// `backend:`, `threads:` and `seed:`, the settings of every run computing with tensors.
  public var embedded = ComputeRunSettings()

  public init() {}

  /// The anchors' fully connected GAN, unconditional, finishing with its best scored epoch
  /// (it gets worse late in training): `agents/gan.yaml`.
  public static var fullyConnected: GANConfig {
    var config = GANConfig()
    config.model = .mlp
    config.conditional = false
    config.keepBest = true
    return config
  }

  /// The TensorFlow DCGAN tutorial's networks and settings: `agents/tf-dcgan.yaml`.
  public static var tensorFlowTutorial: GANConfig {
    var config = GANConfig()
    config.model = .tfdcgan
    config.conditional = false
    config.latentSize = 100
    config.batchSize = 256
    config.learningRate = 1e-4
    config.beta1 = 0.9
    config.realLabel = 1
    return config
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case dataset, model, conditional
    case latentSize = "latent_size"
    case batchSize = "batch_size"
    case learningRate = "learning_rate"
    case beta1
    case realLabel = "real_label"
    case epochs, minutes
    case qualityEvery = "quality_every"
    case qualitySamples = "quality_samples"
    case keepBest = "keep_best"
  }

  /// The bytes training this GAN on 28×28 images holds, roughly: both networks' weights with
  /// gradients and Adam's moments, and per image of a batch the activations of generator and
  /// discriminator (twice: real and generated) with im2col buffers and gradients — about 10⁴
  /// floats for the MLP, 10⁶ for the small DCGAN, 2.5·10⁶ for the TensorFlow tutorial's, from
  /// their layer shapes.
  public func estimatedBytes() -> Double {
    let z = Double(latentSize)
    let (parameters, perImage): (Double, Double) =
      switch model {
      case .mlp: (z * 256 + 3_000_000, 1e4)
      case .dcgan: (z * 128 * 7 * 7 + 1_000_000, 1e6)
      case .tfdcgan: (z * 256 * 7 * 7 + 2_500_000, 2.5e6)
      }
    return parameters * 4 * 4 + Double(batchSize) * perImage * 4
  }

  public func validate() throws {
    try Require.that("latent_size", latentSize, is: "positive") { $0 >= 1 }
    try Require.that("latent_size", latentSize, is: "at most 4096") { $0 <= 4096 }
    try Require.that("batch_size", batchSize, is: "at most 65536") { $0 <= 65536 }
    try Require.that("quality_samples", qualitySamples, is: "at most 100000") { $0 <= 100_000 }
    try Require.that("epochs", epochs, is: "at most 1000000") { $0 <= 1_000_000 }
    try Require.that("batch_size", batchSize, is: "at least 2 (batch norm)") { $0 >= 2 }
    try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
    try Require.that("beta1", beta1, is: "in [0, 1)") { (0..<1).contains($0) }
    try Require.that("real_label", realLabel, is: "in (0, 1]") { $0 > 0 && $0 <= 1 }
    try Require.that("epochs", epochs, is: "0 (no limit) or positive") { $0 >= 0 }
    try Require.that("minutes", minutes, is: "0 (no limit) or positive") { $0 >= 0 }
    guard epochs > 0 || minutes > 0 else {
      throw RunError("set epochs or minutes: both are 0, so training would never stop")
    }
    try Require.that("quality_every", qualityEvery, is: "0 (never) or positive") { $0 >= 0 }
    try Require.that("quality_samples", qualitySamples, is: "at least 10") { $0 >= 10 }
  }

}

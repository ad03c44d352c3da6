import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData

/// How the training times t of flow matching are drawn.
public enum FlowTimeSampling: String, ConfigChoice {
  /// t ~ U(0, 1), rectified flow's and TorchCFM's choice.
  case uniform
  /// t = σ(n), n ~ N(0, 1): more weight on the middle times, where the velocity is hardest to
  /// predict (Esser et al., 2024, Stable Diffusion 3).
  case logitNormal = "logit_normal"
}

/// How a sample is integrated from noise (t = 0) to an image (t = 1).
public enum FlowSamplerKind: String, ConfigChoice, Sendable {
  /// x ← x + h · v(x, t): one network call per step.
  case euler
  /// Heun's second-order method: an Euler step, then the mean of the velocities at both ends
  /// (two calls per step).
  case heun
}

/// Every setting of a flow-matching run; `agents/flow.yaml` holds the same keys.
public struct FlowConfig: ComputeSettable, Equatable, Sendable {
  /// The images to learn: `mnist` or `fashion`.
  public var dataset: DatasetName = .mnist
  /// The U-Net's channels at full, half and quarter resolution.
  public var widths = [32, 64, 64]
  /// The conditioning vector's length (the time MLP's width and the label embedding's).
  public var embeddingSize = 128
  /// GroupNorm's groups (dividing every width).
  public var groups = 8
  /// Images per step. 64: in the same 5 minutes, twice the steps of 128 at the same images per
  /// second, and samples closer to the test set at the same label share (README "Flow
  /// matching"); PyTorch's anchor and `benchmarks/flow.sh`'s speed row use 128.
  public var batchSize = 64
  /// Adam's step size.
  public var learningRate = 1e-3
  /// The decay of the weights' moving average that sampling uses.
  public var emaDecay = 0.999
  /// A smaller decay for the first updates, min(decay, (1 + n) / (10 + n)) (TensorFlow's
  /// `num_updates`): without it, 0.999 keeps half of the random initial weights in the average
  /// after the ~700 steps of a 5-minute run.
  public var emaWarmup = true
  /// The share of training images shown without their label (classifier-free guidance).
  public var labelDropout = 0.1
  /// How training times are drawn. Logit-normal by default: after 5 minutes its samples are
  /// closer to the test set (Fréchet distance 6.2–7.7 against uniform's 7.5–8.9, the same three
  /// noise seeds) and as surely their label (97.1–97.4% against 97.5–97.7%); README "Flow
  /// matching".
  public var timeSampling = FlowTimeSampling.logitNormal
  /// Passes over the training images at most (0: as many as `minutes` allows).
  public var epochs = 0
  /// Stop after the epoch that passes this much training time, in minutes (0: no limit).
  public var minutes = 5.0
  /// Score samples with the playground's CNN every this many epochs and after the last (0:
  /// never). Every 5: scoring 1,000 samples takes about as long as three epochs of training.
  public var qualityEvery = 5
  /// Generated (and real test) images per score.
  public var qualitySamples = 1_000
  /// Integration steps from noise to image.
  public var sampleSteps = 20
  public var sampler = FlowSamplerKind.euler
  /// The guidance weight w: v = v_uncond + w · (v_cond − v_uncond); 1 is the conditional
  /// velocity alone, 0 the unconditional. 2.1 with batches of 64: three 5-minute models, three
  /// noise seeds each, Fréchet distance 5.11–6.46 (mean 5.74; the GAN's 5.94 on those seeds)
  /// with 96.6–98.1% drawn as their label (mean 97.3%); w = 2 gave 5.06–6.15 at 96.4–97.5%,
  /// w = 2.5 6.64–7.86 at 97.9–98.7% (README "Flow matching").
  public var guidance = 2.1
  /// The times t (0: noise, 1: image) at which guidance applies, `[from, to]`; elsewhere the
  /// conditional velocity alone (Kynkäänniemi et al., 2024). From 0.3, a 5-minute model of an
  /// earlier round drew closer to the test set than with w = 1.5 throughout and as surely as
  /// their label (three noise seeds: Fréchet distance 7.97–9.07 against 9.91–10.93, 97.6–98.1%
  /// drawn as their label against 97.4–97.6%), with 15% fewer network calls.
  public var guidanceInterval = [0.3, 1.0]
  /// `backend:`, `threads:` and `seed:`, the settings of every run computing with tensors.
  public var embedded = ComputeRunSettings()

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case dataset, widths
    case embeddingSize = "embedding_size"
    case groups
    case batchSize = "batch_size"
    case learningRate = "learning_rate"
    case emaDecay = "ema_decay"
    case emaWarmup = "ema_warmup"
    case labelDropout = "label_dropout"
    case timeSampling = "time_sampling"
    case epochs, minutes
    case qualityEvery = "quality_every"
    case qualitySamples = "quality_samples"
    case sampleSteps = "sample_steps"
    case sampler, guidance
    case guidanceInterval = "guidance_interval"
  }

  /// ``guidanceInterval`` as a range (valid after ``validate()``).
  public var guidanceTimes: ClosedRange<Float> { Self.guidanceTimes(guidanceInterval) ?? 0...1 }

  /// `[from, to]` as a range of times, or `nil` unless 0 ≤ from ≤ to ≤ 1: the rule of
  /// `guidance_interval` and of `flow sample --guidance-interval`.
  public static func guidanceTimes(_ interval: [Double]) -> ClosedRange<Float>? {
    guard interval.count == 2, (0...1).contains(interval[0]),
      (interval[0]...1).contains(interval[1])
    else { return nil }
    return Float(interval[0])...Float(interval[1])
  }

  /// The bytes training holds, roughly: the network's weights four times (weights, gradients,
  /// Adam's two moments) plus the average, and per image of a batch about 60 activations of the
  /// widest level's size (28·28·w₀ floats) kept for the backward pass, with their gradients.
  public func estimatedBytes(side: Int = 28) -> Double {
    let w = Double(widths.max() ?? 0)
    let parameters = 40 * w * w * 9 + Double(embeddingSize) * (128 + 20 * w)
    let perImage = 120 * Double(side * side) * Double(widths.first ?? 0)
    return parameters * 4 * 5 + Double(batchSize) * perImage * 4
  }

  public func validate() throws {
    guard widths.count == 3, widths.allSatisfy({ (1...256).contains($0) }) else {
      throw RunError("widths must list three channel counts from 1 to 256, got \(widths)")
    }
    try Require.that("groups", groups, is: "positive") { $0 >= 1 }
    guard widths.allSatisfy({ $0 % groups == 0 }) else {
      throw RunError("groups (\(groups)) must divide every width of \(widths)")
    }
    try Require.that("embedding_size", embeddingSize, is: "from 1 to 1024") {
      (1...1024).contains($0)
    }
    try Require.that("batch_size", batchSize, is: "from 1 to 65536") { (1...65536).contains($0) }
    try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
    try Require.that("ema_decay", emaDecay, is: "in [0, 1)") { (0..<1).contains($0) }
    try Require.that("label_dropout", labelDropout, is: "in [0, 1]") { (0...1).contains($0) }
    try Require.that("epochs", epochs, is: "from 0 (no limit) to 1000000") {
      (0...1_000_000).contains($0)
    }
    try Require.that("minutes", minutes, is: "0 (no limit) or positive") { $0 >= 0 }
    guard epochs > 0 || minutes > 0 else {
      throw RunError("set epochs or minutes: both are 0, so training would never stop")
    }
    try Require.that("quality_every", qualityEvery, is: "0 (never) or positive") { $0 >= 0 }
    try Require.that("quality_samples", qualitySamples, is: "from 10 to 100000") {
      (10...100_000).contains($0)
    }
    try Require.that("sample_steps", sampleSteps, is: "from 1 to 1000") { (1...1000).contains($0) }
    try Require.that("guidance", guidance, is: "finite and from -10 to 50") {
      $0.isFinite && (-10...50).contains($0)
    }
    guard Self.guidanceTimes(guidanceInterval) != nil else {
      throw RunError(
        "guidance_interval must be [from, to] with 0 ≤ from ≤ to ≤ 1 (times, 0 noise and 1 image), got \(guidanceInterval)"
      )
    }
  }
}

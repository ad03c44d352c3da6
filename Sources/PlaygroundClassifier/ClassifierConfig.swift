import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData

/// The architectures `playground classify` trains.
public enum ClassifierModelKind: String, ConfigChoice {
  /// Keras' classic example: Flatten → Dense(128, relu) → Dense(10, softmax).
  case mlp
  /// A LeNet-5-style network (LeCun et al., 1998) with ReLU, max-pooling and wider layers:
  /// Conv(16, 5×5, pad 2) → pool 2 → Conv(32, 5×5) → pool 2 → Dense(128) → Dense(10, softmax).
  case cnn
  /// A digit read one row at a time: each of its `rows` rows is a step of `columns` pixels
  /// into an LSTM of `hidden_units` cells; its last hidden state → Dense(10, softmax) (Keras'
  /// `LSTM(128)` → `Dense(10, softmax)`).
  case lstm
  /// The same with a GRU.
  case gru
  /// Opacus's MNIST example network (`SampleConvNet`) for DP-SGD: Conv(16, 8×8/2, pad 3) →
  /// max-pool 2/1 → Conv(32, 4×4/2) → max-pool 2/1 → Dense(32) → Dense(10), ReLU, PyTorch's
  /// initialisation; no batch norm, which has no per-example gradient.
  case dpcnn
}

/// The update rule a classifier trains with.
public enum ClassifierOptimizer: String, ConfigChoice {
  /// Adam, with Keras' ε convention (`adam_epsilon`).
  case adam
  /// Plain stochastic gradient descent (no momentum), as Opacus's examples train.
  case sgd
}

/// Every setting of a classifier run; `agents/classifier.yaml` holds the same keys, and each run
/// writes the settings it used to `config.yaml`, which `--config` reads back.
public struct ClassifierConfig: ComputeSettable, Equatable, Sendable {
  /// The data set: `mnist` or `fashion`.
  public var dataset: DatasetName = .mnist
  /// The architecture: `mlp` or `cnn`.
  public var model: ClassifierModelKind = .mlp
  /// Passes over the training split.
  public var epochs = 5
  /// Images per gradient step (Keras' default 32).
  public var batchSize = 32
  /// Adam's step size (Keras' default 1e-3).
  public var learningRate = 1e-3
  /// Adam's ε, added to √v as Keras does (Keras' default 1e-7).
  public var adamEpsilon = 1e-7
  /// Width of the MLP's hidden layer.
  public var hiddenUnits = 128
  /// Feed pixels as 0–255, as the Keras example does, instead of scaling them to [0, 1].
  public var rawPixels = false
  /// Subtracted from every pixel after scaling (torchvision's `Normalize`; Opacus's example
  /// uses MNIST's mean 0.1307). 0: none.
  public var pixelMean = 0.0
  /// Every pixel is divided by it after ``pixelMean`` is subtracted (MNIST's 0.3081 in
  /// Opacus's example). 1: none.
  public var pixelStd = 1.0
  /// Train on only N training images, picked at random (seeded by `seed`); 0 uses them all.
  public var trainLimit = 0
  /// Keep only the first N training images (in file order) of a class: `{8: 500}` makes class 8
  /// under-represented, as Bagdasaryan et al. (2019) did to show DP-SGD's disparate impact.
  /// Empty: every class whole.
  public var classLimits: [Int: Int] = [:]
  /// Start from another classify run's weights (its folder or its `model.safetensors`) instead
  /// of fresh ones: transfer learning. Empty: fresh weights.
  public var initFrom = ""
  /// With ``initFrom``: the first N layers with weights (from the input) keep the weights they
  /// came with; the rest train.
  public var freeze = 0
  /// `adam` (Keras' default) or `sgd`.
  public var optimizer = ClassifierOptimizer.adam
  /// Differentially private training (DP-SGD): the `privacy:` section.
  public var privacy = PrivacySettings()
  /// `backend:`, `threads:` and `seed:`, the settings of every run computing with tensors.
  public var embedded = ComputeRunSettings()

  public init() {}

  /// A digit read row by row by an LSTM (`agents/lstm.yaml`): Adam's step 2e-3, which trains
  /// the recurrent models faster in 5 epochs than Keras' 1e-3.
  public static var rowLSTM: ClassifierConfig {
    var config = ClassifierConfig()
    config.model = .lstm
    config.learningRate = 2e-3
    return config
  }

  /// The same with a GRU (`agents/gru.yaml`).
  public static var rowGRU: ClassifierConfig {
    var config = rowLSTM
    config.model = .gru
    return config
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case dataset, model, epochs
    case batchSize = "batch_size"
    case learningRate = "learning_rate"
    case adamEpsilon = "adam_epsilon"
    case hiddenUnits = "hidden_units"
    case rawPixels = "raw_pixels"
    case pixelMean = "pixel_mean"
    case pixelStd = "pixel_std"
    case trainLimit = "train_limit"
    case classLimits = "class_limits"
    case initFrom = "init_from"
    case freeze, optimizer, privacy
  }

  public static var sections: [String: any ConfigFile.Type] { ["privacy": PrivacySettings.self] }

  /// Opacus's MNIST example as `agents/dp-cnn.yaml` has it: its network, plain SGD at 0.15,
  /// batches of 256 drawn by Poisson sampling, σ 1.1, C 1.0, δ 1e-5.
  public static var privateCNN: ClassifierConfig {
    var config = ClassifierConfig()
    config.model = .dpcnn
    config.optimizer = .sgd
    config.learningRate = 0.15
    config.batchSize = 256
    config.pixelMean = 0.1307
    config.pixelStd = 0.3081
    config.privacy.enabled = true
    return config
  }

  /// The bytes training this classifier holds for `rows`×`columns` images and `classes`
  /// classes: the weights with their gradients and Adam's two moments, and one batch's
  /// activations (with im2col buffers for the convolutions, gates and states for the recurrent
  /// models) kept for the backward pass, and their gradients.
  public func estimatedBytes(rows: Int, columns: Int, classes: Int) -> Double {
    let (r, c, k, h) = (Double(rows), Double(columns), Double(classes), Double(hiddenUnits))
    let pixels = r * c
    let parameters: Double
    let perImage: Double
    switch model {
    case .mlp:
      parameters = pixels * h + h + h * k + k
      perImage = pixels + 2 * h + 3 * k
    case .cnn:
      let (r2, c2) = (r / 2 - 4, c / 2 - 4)
      parameters =
        16 * 25 + 16 + 32 * 16 * 25 + 32 + 32 * (r2 / 2) * (c2 / 2) * 128 + 128 + 128 * k + k
      perImage =
        pixels * (1 + 25 + 2 * 16) + pixels / 4 * 16 + r2 * c2 * (16 * 25 + 2 * 32)
        + r2 * c2 / 4 * 32 + 2 * 128 + 3 * k
    case .dpcnn:
      parameters = 16 * 64 + 16 + 32 * 16 * 16 + 32 + 32 * 16 * 32 + 32 + 32 * k + k
      // Activations with im2col buffers, and each example's gradients when private.
      perImage = pixels * 40 + (privacy.enabled ? parameters : 0)
    case .lstm, .gru:
      let gates = model == .lstm ? 4.0 : 3.0
      parameters = gates * h * (c + h) + 2 * gates * h + h * k + k
      perImage = pixels + r * (gates * h + 3 * h) + 3 * k
    }
    return parameters * 4 * 4 + Double(batchSize) * perImage * 4 * 2
  }

  /// What the network is fed for a pixel of brightness `value` (0–255).
  public func modelInput(_ value: UInt8) -> Float {
    let scaled = Float(value) * (rawPixels ? 1 : 1 / 255)
    return pixelMean == 0 && pixelStd == 1 ? scaled : (scaled - Float(pixelMean)) / Float(pixelStd)
  }

  /// The range of what the network is fed (black to white).
  public var inputRange: ClosedRange<Float> { modelInput(0)...modelInput(255) }

  public func validate() throws {
    try Require.that("pixel_std", pixelStd, is: "positive") { $0 > 0 }
    try Require.that("pixel_mean", pixelMean, is: "within ±1000") { abs($0) <= 1000 }
    try Require.that("epochs", epochs, is: "at least 1") { $0 >= 1 }
    try Require.that("batch_size", batchSize, is: "at least 1") { $0 >= 1 }
    try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
    try Require.that("adam_epsilon", adamEpsilon, is: "positive") { $0 > 0 }
    try Require.that("hidden_units", hiddenUnits, is: "at least 1") { $0 >= 1 }
    try Require.that("hidden_units", hiddenUnits, is: "at most 65536") { $0 <= 65536 }
    try Require.that("batch_size", batchSize, is: "at most 65536") { $0 <= 65536 }
    try Require.that("epochs", epochs, is: "at most 100000") { $0 <= 100_000 }
    try Require.that("train_limit", trainLimit, is: "0 (all) or positive") { $0 >= 0 }
    try Require.that("freeze", freeze, is: "0 or more") { $0 >= 0 }
    try Require.that("freeze", freeze, is: "at most 1000") { $0 <= 1000 }
    for (label, limit) in classLimits {
      try Require.that("class_limits' classes", label, is: "0 to 255") { (0...255).contains($0) }
      try Require.that("class_limits[\(label)]", limit, is: "0 or more") { $0 >= 0 }
    }
    if freeze > 0 && initFrom.isEmpty {
      throw RunError(
        "freeze \(freeze) needs init_from: frozen layers keep the weights of another run (init_from: outputs/classify-mnist/latest)"
      )
    }
  }

}

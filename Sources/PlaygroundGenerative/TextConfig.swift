import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore

/// The models `playground text` trains.
public enum TextModelKind: String, ConfigChoice {
  /// Embedding → LSTM → Dense over the vocabulary (the anchor's model).
  case lstm
  /// The same with a GRU.
  case gru
  /// Counts of character pairs with add-one smoothing: the floor to beat.
  case bigram
}

/// Every setting of a `playground text` run; `agents/char-lstm.yaml` holds the same keys (the
/// anchor `shared/anchors/torch_char_rnn_names.py`'s: embedding 32, hidden 128, batch 64, Adam
/// 3e-3, global-norm clipping 1.0).
public struct TextConfig: ComputeSettable, Equatable, Sendable {
  /// `names` (the census surnames `scripts/setup` puts in the cache) or the path of a text file
  /// with one item per line.
  public var data = "names"
  /// `lstm`, `gru` or `bigram`.
  public var model = TextModelKind.lstm
  /// Lower-case every item before learning it.
  public var lowercase = true
  /// The size of each character's learned vector.
  public var embeddingSize = 32
  /// The recurrent layer's hidden state size.
  public var hiddenUnits = 128
  /// Items per gradient step.
  public var batchSize = 64
  /// Adam's step size (PyTorch's ε).
  public var learningRate = 3e-3
  /// Clip the gradients' global norm to this (0: no clipping).
  public var maxGradientNorm = 1.0
  /// Passes over the training items at most (0: as many as `minutes` allows).
  public var epochs = 0
  /// Training time budget in minutes, checked after every step (0: no limit).
  public var minutes = 2.5
  /// The share of items held out for validation (the same items for every seed).
  public var validationShare = 0.1
  /// Items drawn into `samples.txt`.
  public var samples = 100
  /// Sampling temperature: below 1 sharper, above 1 more adventurous, 0 always the likeliest.
  public var temperature = 1.0
  /// `backend:`, `threads:` and `seed:`, the settings of every run computing with tensors.
  public var embedded = ComputeRunSettings()

  public init() {}

  /// The preset of an agent name: `lstm` (the defaults), `gru`, `bigram`.
  public static func preset(_ model: TextModelKind) -> TextConfig {
    var config = TextConfig()
    config.model = model
    return config
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case data, model, lowercase
    case embeddingSize = "embedding_size"
    case hiddenUnits = "hidden_units"
    case batchSize = "batch_size"
    case learningRate = "learning_rate"
    case maxGradientNorm = "max_gradient_norm"
    case epochs, minutes
    case validationShare = "validation_share"
    case samples, temperature
  }

  /// The bytes a character model of these settings holds while training on items of up to
  /// `length` characters (plus the end mark) over `vocabulary` symbols: the weights with their
  /// gradients and Adam's two moments, and one batch's activations kept for backpropagation
  /// through time (embeddings, gates and states, logits with their softmax and gradients).
  /// The bigram model — and, with `bigramFloor`, the floor every run measures — holds two
  /// tables of a double for every pair of symbols (the counts and the probabilities).
  public func estimatedBytes(vocabulary: Int, length: Int, bigramFloor: Bool = false) -> Double {
    let (v, e, h) = (Double(vocabulary), Double(embeddingSize), Double(hiddenUnits))
    guard model != .bigram, !bigramFloor else { return v * v * 16 }
    let gates = model == .lstm ? 4.0 : 3.0
    let parameters = v * e + gates * h * (e + h) + 2 * gates * h + h * v + v
    let positions = Double(batchSize) * Double(length + 1)
    let perPosition = e + gates * h + 3 * h + 3 * v
    return parameters * 4 * 4 + positions * perPosition * 4 * 2
  }

  public func validate() throws {
    try Require.that("data", data, is: "names or the path of a text file") { !$0.isEmpty }
    try Require.that("embedding_size", embeddingSize, is: "between 1 and 4096") {
      (1...4096).contains($0)
    }
    try Require.that("hidden_units", hiddenUnits, is: "between 1 and 4096") {
      (1...4096).contains($0)
    }
    try Require.that("batch_size", batchSize, is: "between 1 and 65536") {
      (1...65536).contains($0)
    }
    try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
    try Require.that("max_gradient_norm", maxGradientNorm, is: "non-negative") { $0 >= 0 }
    try Require.that("epochs", epochs, is: "0 (no limit) or positive") { $0 >= 0 }
    try Require.that("minutes", minutes, is: "0 (no limit) or positive") { $0 >= 0 }
    guard epochs > 0 || minutes > 0 || model == .bigram else {
      throw RunError("set epochs or minutes: both are 0, so training would never stop")
    }
    try Require.that("validation_share", validationShare, is: "in (0, 0.5]") {
      $0 > 0 && $0 <= 0.5
    }
    try Require.that("samples", samples, is: "between 0 and 100000") { (0...100_000).contains($0) }
    try Require.that("temperature", temperature, is: "non-negative") { $0 >= 0 }
  }
}

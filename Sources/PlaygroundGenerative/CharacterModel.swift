import Foundation
import PlaygroundCore
import PlaygroundNN

/// A character-level language model: each item read from a start token, the model predicts the
/// next character (or the end) at every step — Embedding → LSTM/GRU → Dense over the
/// vocabulary, named as the anchor's PyTorch module (`emb.weight`, `rnn.weight_ih_l0`, …,
/// `out.weight`, `out.bias`).
public final class CharacterModel {
  public let vocabulary: CharacterVocabulary
  public let embedding: Embedding
  public let recurrent: RecurrentStack
  public let output: Dense

  public init(config: TextConfig, vocabulary: CharacterVocabulary, generator: RandomGenerator) {
    precondition(config.model != .bigram, "the bigram model has no network")
    self.vocabulary = vocabulary
    embedding = Embedding(
      count: vocabulary.size, dimension: config.embeddingSize, generator: generator)
    recurrent =
      config.model == .lstm
      ? LSTM(inputSize: config.embeddingSize, hiddenSize: config.hiddenUnits, generator: generator)
      : GRU(inputSize: config.embeddingSize, hiddenSize: config.hiddenUnits, generator: generator)
    output = Dense(
      inputSize: config.hiddenUnits, outputSize: vocabulary.size,
      weightInitializer: .pytorchDefault, biasInitializer: .pytorchDefault, generator: generator)
  }

  public var namedParameters: [NamedTensor] {
    embedding.namedParameters.map { ("emb.\($0.name)", $0.tensor) }
      + recurrent.namedParameters.map { ("rnn.\($0.name)", $0.tensor) }
      + output.namedParameters.map { ("out.\($0.name)", $0.tensor) }
  }

  public var parameters: [Tensor] { namedParameters.map(\.tensor) }

  /// Inputs and targets of a batch: each item after a start token, padded to the longest; the
  /// targets are the item then the end token, −1 where padded.
  public static func batch(_ items: [[Int]]) -> (inputs: [Int], targets: [Int], steps: Int) {
    let steps = (items.map(\.count).max() ?? 0) + 1
    var inputs = [Int](repeating: 0, count: items.count * steps)
    var targets = [Int](repeating: -1, count: items.count * steps)
    for (row, tokens) in items.enumerated() {
      for (k, token) in tokens.enumerated() {
        inputs[row * steps + k + 1] = token
        targets[row * steps + k] = token
      }
      targets[row * steps + tokens.count] = 0
    }
    return (inputs, targets, steps)
  }

  /// Logits `[items·steps, vocabulary]` of every step of `inputs` (`[items, steps]` tokens).
  func logits(_ inputs: [Int], items: Int, steps: Int, state: RecurrentState? = nil) -> (
    Tensor, RecurrentState
  ) {
    let embedded = embedding(inputs).reshaped([items, steps, embedding.weight.shape[1]])
    let (hidden, next) = recurrent(embedded, initialState: state)
    return (output(hidden.reshaped([items * steps, recurrent.hiddenSize])), next)
  }

  /// The mean cross-entropy per predicted character (nats) of a batch, recorded for training;
  /// `count` is how many characters it averages.
  public func loss(_ items: [[Int]]) -> (loss: Tensor, count: Int) {
    let (inputs, targets, steps) = Self.batch(items)
    let (logits, _) = self.logits(inputs, items: items.count, steps: steps)
    let rows = targets.indices.filter { targets[$0] >= 0 }
    let loss = softmaxCrossEntropy(
      logits: logits.selecting(rows: rows), labels: rows.map { targets[$0] })
    return (loss, rows.count)
  }

  /// The mean cross-entropy per character (nats) over `items`, in batches of 512, unrecorded.
  public func validationLoss(_ items: [[Int]]) -> Double {
    var (total, count) = (0.0, 0)
    withoutGradient {
      for start in stride(from: 0, to: items.count, by: 512) {
        let (loss, n) = self.loss(Array(items[start..<min(start + 512, items.count)]))
        total += Double(loss.item) * Double(n)
        count += n
      }
    }
    return total / Double(max(count, 1))
  }

  /// `count` new items, drawn character by character after `prefix` (at most `maximumLength`
  /// characters each, the prefix included), all `count` at once.
  public func sample(
    count: Int, prefix: [Int] = [], temperature: Double, random: RandomGenerator,
    maximumLength: Int = 24
  ) -> [[Int]] {
    withoutGradient {
      var drawn = [[Int]](repeating: prefix, count: count)
      var finished = [Bool](repeating: prefix.count >= maximumLength, count: count)
      // Read the start token and the prefix, then draw.
      let start = [0] + prefix
      var (logits, state) = self.logits(
        (0..<count).flatMap { _ in start }, items: count, steps: start.count)
      var last = Self.lastRows(logits, items: count, steps: start.count)
      while finished.contains(false) {
        let probabilities = last.softmax().scalars
        var next = [Int](repeating: 0, count: count)
        for row in 0..<count where !finished[row] {
          let p = probabilities[(row * vocabulary.size)..<((row + 1) * vocabulary.size)]
          next[row] = Sampling.draw(p.map(Double.init), temperature: temperature, random: random)
          if next[row] == 0 {
            finished[row] = true
          } else {
            drawn[row].append(next[row])
            finished[row] = drawn[row].count >= maximumLength
          }
        }
        guard finished.contains(false) else { break }
        (logits, state) = self.logits(next, items: count, steps: 1, state: state)
        last = logits
      }
      return drawn
    }
  }

  /// The logits of each item's last step.
  static func lastRows(_ logits: Tensor, items: Int, steps: Int) -> Tensor {
    logits.selecting(rows: (0..<items).map { $0 * steps + steps - 1 })
  }

  /// Saves the parameters with the settings and vocabulary in the metadata.
  public func save(to url: URL, metadata: [String: String]) throws {
    try SafeTensors.write(
      SafeTensors.Contents(
        tensors: namedParameters, metadata: metadata.merging(["vocabulary": vocabulary.text]) { $1 }
      ),
      to: url)
  }

  /// Loads parameters saved by ``save(to:metadata:)``.
  /// - Throws: ``CheckpointMismatch`` when a tensor is missing or of another shape.
  public func load(_ contents: SafeTensors.Contents) throws {
    for (name, tensor) in namedParameters {
      guard let saved = contents[name], saved.shape == tensor.shape else {
        throw CheckpointMismatch(
          description: "the checkpoint's \(name) is missing or not \(tensor.shape)")
      }
      tensor.scalars = saved.scalars
    }
  }
}

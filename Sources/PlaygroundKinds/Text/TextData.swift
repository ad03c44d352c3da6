import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundGenerative
import PlaygroundRandom

/// The items of a text run: read, split into training and validation items (the same split
/// for every seed), encoded, with the bigram floor measured on the validation items.
struct TextData {
  let source: String
  let vocabulary: CharacterVocabulary
  let train: [[Int]]
  let valid: [[Int]]
  let trainText: [String]
  let bigram: BigramModel
  /// The bigram model's validation loss, nats per character: the floor to beat.
  let bigramLoss: Double

  init(config: TextConfig, sources: DataSources) throws {
    let url =
      config.data == "names"
      ? TextCorpus.censusSurnames(cacheDirectory: sources.cacheDirectory)
      : URL(fileURLWithPath: config.data)
    if config.data == "names" && !FileManager.default.fileExists(atPath: url.path) {
      throw RunError(
        "the census surnames are not in the cache (\(url.path)): run scripts/setup, or give --data FILE"
      )
    }
    let corpus = try TextCorpus.read(url, lowercased: config.lowercase)
    // The split does not depend on the run's seed, so that every seed is judged on the same
    // items.
    let order = RandomGenerator(seed: 0).derived(stream: 11).permutation(corpus.items.count)
    let validCount = max(1, Int((Double(corpus.items.count) * config.validationShare).rounded()))
    let trainText = order.dropLast(validCount).map { corpus.items[$0] }
    let validText = order.suffix(validCount).map { corpus.items[$0] }
    vocabulary = CharacterVocabulary(items: corpus.items)
    let encode: (String) -> [Int] = { [vocabulary] in vocabulary.encode($0)! }
    (train, valid) = (trainText.map(encode), validText.map(encode))
    guard !train.isEmpty else {
      throw RunError("\(corpus.source) has too few items to hold some out: give more than one")
    }
    self.trainText = trainText
    source = corpus.source
    // The bigram floor's table has a count for every pair of characters.
    try MemoryBudget.check(
      config.estimatedBytes(vocabulary: vocabulary.size, length: 0, bigramFloor: true),
      for: "the bigram floor of \(vocabulary.size - 1) distinct characters",
      lower: "the corpus's distinct characters (lowercase: true merges letter cases)")
    bigram = BigramModel(vocabulary: vocabulary, items: train)
    bigramLoss = bigram.loss(valid)
  }
}

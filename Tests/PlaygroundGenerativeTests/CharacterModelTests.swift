import Foundation
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundNN
import Testing
import TestSupport

/// The pieces of `playground text`: vocabulary, the bigram floor, batches, learning, sampling.
@Suite(.onEveryBackend) struct CharacterModelTests {
  static let items = ["abba", "abc", "cab", "bca", "aab", "ccb"]

  @Test func vocabularyEncodesAndDecodesWithAnEndToken() throws {
    let vocabulary = CharacterVocabulary(items: Self.items)
    #expect(vocabulary.characters == ["a", "b", "c"] && vocabulary.size == 4)
    #expect(vocabulary.encode("cab") == [3, 1, 2])
    #expect(vocabulary.encode("cad") == nil)
    #expect(vocabulary.decode([3, 1, 2, 0, 1]) == "cab")
  }

  /// Add-one smoothed pair counts, as the anchor computes its floor, by hand for one item.
  @Test func bigramLossIsTheMeanNegativeLogLikelihoodPerCharacter() throws {
    let vocabulary = CharacterVocabulary(items: ["ab"])
    let tokens = try #require(vocabulary.encode("ab"))
    let bigram = BigramModel(vocabulary: vocabulary, items: [tokens])
    // Pairs (start,a), (a,b), (b,end): each row has 3 + 1 counts, the seen pair 2 of them.
    #expect(abs(bigram.loss([tokens]) - Foundation.log(2.0)) < 1e-12)
    #expect(bigram.probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
  }

  @Test func batchesStartWithTheStartTokenAndEndWithTheEndToken() {
    let (inputs, targets, steps) = CharacterModel.batch([[1, 2], [3]])
    #expect(steps == 3)
    #expect(inputs == [0, 1, 2, 0, 3, 0])
    #expect(targets == [1, 2, 0, 3, 0, -1])
  }

  /// A small LSTM learns a corpus below its bigram floor, and samples deterministically.
  @Test(arguments: [TextModelKind.lstm, .gru])
  func learnsBelowTheBigramFloor(_ kind: TextModelKind) throws {
    let vocabulary = CharacterVocabulary(items: Self.items)
    let encoded = Self.items.map { vocabulary.encode($0)! }
    var config = TextConfig.preset(kind)
    config.embeddingSize = 8
    config.hiddenUnits = 16
    let model = CharacterModel(
      config: config, vocabulary: vocabulary, generator: RandomGenerator(seed: 3))
    let optimizer = Adam(parameters: model.parameters, learningRate: 0.02)
    for _ in 0..<150 {
      optimizer.zeroGradients()
      model.loss(encoded).loss.backward()
      optimizer.step()
    }
    let floor = BigramModel(vocabulary: vocabulary, items: encoded).loss(encoded)
    #expect(model.validationLoss(encoded) < floor - 0.3, "\(kind)")
    let a = model.sample(count: 5, prefix: [1], temperature: 1, random: RandomGenerator(seed: 1))
    let b = model.sample(count: 5, prefix: [1], temperature: 1, random: RandomGenerator(seed: 1))
    #expect(a == b && a.allSatisfy { $0.first == 1 && $0.count <= 24 })
  }

  @Test func temperatureZeroTakesTheLikeliest() {
    let random = RandomGenerator(seed: 0)
    #expect(Sampling.draw([0.1, 0.7, 0.2], temperature: 0, random: random) == 1)
    let draws = (0..<2000).map { _ in Sampling.draw([0.25, 0.75], temperature: 1, random: random) }
    let share = Double(draws.filter { $0 == 1 }.count) / 2000
    #expect(abs(share - 0.75) < 0.04)
  }
}

import Foundation
import PlaygroundRandom

/// The baseline a sequence model must beat: the next character's probability given only the
/// one before (start token included), from counts with add-one smoothing — exactly as the
/// anchor `torch_char_rnn_names.py` computes its floor.
public struct BigramModel: Sendable {
  public let vocabulary: CharacterVocabulary
  /// `probabilities[a][b]`: P(next = b | previous = a).
  public let probabilities: [[Double]]

  /// A table read back from a checkpoint: `probabilities[a][b]`.
  public init(vocabulary: CharacterVocabulary, probabilities: [[Double]]) {
    self.vocabulary = vocabulary
    self.probabilities = probabilities
  }

  /// Counts the pairs of every item of `items` (already encoded), framed by the start/end token.
  public init(vocabulary: CharacterVocabulary, items: [[Int]]) {
    let size = vocabulary.size
    var counts = [[Double]](repeating: [Double](repeating: 1, count: size), count: size)
    for tokens in items {
      let framed = [0] + tokens + [0]
      for (a, b) in zip(framed, framed.dropFirst()) { counts[a][b] += 1 }
    }
    self.vocabulary = vocabulary
    probabilities = counts.map { row in
      let total = row.reduce(0, +)
      return row.map { $0 / total }
    }
  }

  /// The mean negative log-likelihood per predicted character (end tokens included), in nats.
  public func loss(_ items: [[Int]]) -> Double {
    var (total, count) = (0.0, 0)
    for tokens in items {
      let framed = [0] + tokens + [0]
      for (a, b) in zip(framed, framed.dropFirst()) {
        total -= Foundation.log(probabilities[a][b])
        count += 1
      }
    }
    return total / Double(max(count, 1))
  }

  /// A new item drawn character by character after `prefix` (at most `maximumLength`
  /// characters, the prefix included).
  public func sample(
    prefix: [Int] = [], random: RandomGenerator, temperature: Double = 1, maximumLength: Int = 24
  ) -> [Int] {
    var tokens = prefix
    var previous = prefix.last ?? 0
    while tokens.count < maximumLength {
      let next = Sampling.draw(probabilities[previous], temperature: temperature, random: random)
      if next == 0 { break }
      tokens.append(next)
      previous = next
    }
    return tokens
  }
}

/// Drawing from a categorical distribution with a temperature.
public enum Sampling {
  /// An index drawn with probability ∝ `p^(1/temperature)`; temperature 0 takes the most likely.
  public static func draw(_ probabilities: [Double], temperature: Double, random: RandomGenerator)
    -> Int
  {
    if temperature <= 0 {
      return probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
    }
    let weights = probabilities.map { Foundation.pow(max($0, 0), 1 / temperature) }
    let total = weights.reduce(0, +)
    var target = random.unitDouble() * total
    for (index, weight) in weights.enumerated() {
      target -= weight
      if target < 0 { return index }
    }
    return weights.lastIndex { $0 > 0 } ?? 0
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundRandom

/// New items from a saved text model (`playground text sample`).
public enum TextSampler {
  /// `count` items drawn at `temperature` after `prefix` from the model at `url`.
  /// - Throws: ``RunError`` when the file is not a text model or the prefix has a character
  ///   the model never saw.
  public static func sample(
    checkpoint url: URL, count: Int, temperature: Double, prefix: String, seed: UInt64
  ) throws -> [String] {
    try sample(
      SafeTensors.read(from: url), source: url, count: count, temperature: temperature,
      prefix: prefix, seed: seed)
  }

  /// The same from a checkpoint's decoded contents (`source` names it in messages): its
  /// metadata is checked before it sizes anything (the fuzzer feeds it arbitrary files).
  public static func sample(
    _ contents: SafeTensors.Contents, source url: URL, count: Int, temperature: Double,
    prefix: String, seed: UInt64
  ) throws -> [String] {
    guard contents.metadata["format"] == "playground text", let text = contents.metadata["config"],
      let characters = contents.metadata["vocabulary"]
    else {
      throw RunError(
        "\(url.path) is not a model saved by playground text (no config in its metadata)")
    }
    let config = try TextConfig.decode(yaml: text, source: url.path, defaults: TextConfig())
    guard Set(characters).count == characters.count else {
      throw RunError(
        "\(url.path): its metadata's vocabulary names a character twice: the file is damaged")
    }
    let vocabulary = CharacterVocabulary(characters: Array(characters))
    guard let start = vocabulary.encode(config.lowercase ? prefix.lowercased() : prefix) else {
      throw RunError(
        "--prefix \(prefix): the model knows only the characters \"\(characters)\"")
    }
    let random = RandomGenerator(seed: seed)
    let tokens: [[Int]]
    if config.model == .bigram {
      guard let table = contents["bigram.probabilities"],
        table.shape == [vocabulary.size, vocabulary.size]
      else { throw RunError("\(url.path) lacks its bigram table") }
      let size = vocabulary.size
      let bigram = BigramModel(
        vocabulary: vocabulary,
        probabilities: (0..<size).map { a in
          (0..<size).map { Double(table.scalars[a * size + $0]) }
        })
      tokens = (0..<count).map { _ in
        bigram.sample(prefix: start, random: random, temperature: temperature)
      }
    } else {
      let model = CharacterModel(
        config: config, vocabulary: vocabulary, generator: RandomGenerator(seed: 0))
      try model.load(contents)
      tokens = model.sample(count: count, prefix: start, temperature: temperature, random: random)
    }
    return tokens.map(vocabulary.decode)
  }
}

/// The characters of a corpus as token ids: 0 marks both the start and the end of an item (as
/// in `shared/anchors/torch_char_rnn_names.py`), the characters seen follow in sorted order.
public struct CharacterVocabulary: Sendable, Equatable {
  /// The characters, sorted; token `k + 1` is `characters[k]`.
  public let characters: [Character]
  private let index: [Character: Int]

  public init(characters: [Character]) {
    self.characters = characters
    index = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, $0 + 1) })
  }

  /// Every character of `items`.
  public init(items: [String]) {
    self.init(characters: Array(Set(items.joined())).sorted())
  }

  /// Tokens, the start/end token included.
  public var size: Int { characters.count + 1 }

  /// The tokens of `text`, or `nil` when it has a character the vocabulary lacks.
  public func encode(_ text: String) -> [Int]? {
    var tokens: [Int] = []
    for character in text {
      guard let token = index[character] else { return nil }
      tokens.append(token)
    }
    return tokens
  }

  /// The text of `tokens` (0 ends it).
  public func decode(_ tokens: [Int]) -> String {
    String(tokens.prefix { $0 != 0 }.map { characters[$0 - 1] })
  }

  /// As one line of text (the characters in order), for checkpoints' metadata.
  public var text: String { String(characters) }
}

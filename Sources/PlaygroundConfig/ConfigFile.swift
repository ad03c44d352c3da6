import Foundation
import Yams

/// A settings struct that reads and writes YAML with the same keys as its `CodingKeys`.
/// Reading is strict: an unknown key or a value of the wrong type is an error naming the line,
/// so that a typo never silently falls back to a default.
public protocol ConfigFile: Codable {
  associatedtype CodingKeys: CodingKey & CaseIterable
  /// Settings that several kinds of settings hold alike (a run's backend, threads and seed),
  /// declared once and written at the same level of the file as these settings' own keys, after
  /// them. ``NoEmbeddedSettings`` by default.
  associatedtype Embedded: EmbeddedSettings = NoEmbeddedSettings
  /// The embedded part's values; a stored property left out of `CodingKeys`.
  var embedded: Embedded { get set }
  /// Checks values after decoding; throws a ``RunError`` naming the key and the valid range.
  func validate() throws
  /// The keys whose values are settings of their own, written as indented sections
  /// (`ConfigFile+Sections.swift`); none by default.
  static var sections: [String: any ConfigFile.Type] { get }
}

/// A part of the keys of settings files shared by several kinds of settings, embedded in each
/// (``ConfigFile/Embedded``): its keys read and written beside theirs, not as a nested mapping.
public protocol EmbeddedSettings: Codable, Equatable, Sendable {
  associatedtype CodingKeys: CodingKey & CaseIterable
  init()
  /// Checks values after decoding; throws a ``RunError`` naming the key and the valid range.
  func validate() throws
}

/// No embedded settings: the settings' keys are all their own.
public struct NoEmbeddedSettings: EmbeddedSettings {
  public enum CodingKeys: CodingKey, CaseIterable {}
  public init() {}
  public init(from decoder: any Decoder) throws {}
  public func encode(to encoder: any Encoder) throws {}
  public func validate() throws {}
}

extension ConfigFile where Embedded == NoEmbeddedSettings {
  public var embedded: NoEmbeddedSettings {
    get { NoEmbeddedSettings() }
    set {}
  }
}

extension ConfigFile {
  public func validate() throws {}

  /// Every key of these settings files: their own, then the embedded part's.
  public static var keys: [String] {
    CodingKeys.allCases.map(\.stringValue) + Embedded.CodingKeys.allCases.map(\.stringValue)
  }

  /// The YAML text of these settings, one `key: value` line per setting in `CodingKeys` order.
  ///
  /// Written here rather than by Yams' encoder, which rounds some doubles (2/3 becomes
  /// 0.666666666666667), so that reading the text back gives exactly these settings.
  public func yaml() throws -> String {
    let values = Dictionary(
      (Array(Mirror(reflecting: self).children) + Mirror(reflecting: embedded).children).compactMap
      {
        child in child.label.map { (ConfigYAML.snakeCase($0), child.value) }
      },
      uniquingKeysWith: { own, _ in own })
    return try Self.keys.map { key in
      guard let value = values[key] else {
        throw RunError("\(Self.self) has no property for the key '\(key)'")
      }
      if let section = value as? any ConfigFile {
        let lines = try section.yaml().split(separator: "\n").map { "  " + $0 }
        return "\(key):\n" + lines.joined(separator: "\n")
      }
      return "\(key): \(try ConfigYAML.scalar(value))"
    }.joined(separator: "\n") + "\n"
  }

  /// Settings from YAML text: every key optional, missing keys keep `defaults`' values.
  /// - Parameter source: the file name for messages.
  public static func decode(yaml text: String, source: String, defaults: Self) throws -> Self {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw RunError(
        "\(source) is not valid YAML: \("\(error)".split(separator: "\n").first ?? "")")
    }
    guard let node else { return defaults }
    return try decode(node: node, source: source, defaults: defaults)
  }

  /// Settings from an already parsed YAML node (a mapping), e.g. a section of a larger file.
  public static func decode(node: Node, source: String, defaults: Self) throws -> Self {
    guard let written = node.mapping else {
      throw RunError("\(source) must be a mapping of setting: value")
    }
    let mapping = try expandingDottedKeys(written, source: source)
    let known = keys
    for (key, _) in mapping {
      guard let name = key.string, known.contains(name) else {
        throw ConfigError(
          source: source, line: key.mark?.line,
          "unknown key '\(key.string ?? "?")'; known keys: \(known.joined(separator: ", "))")
      }
    }
    for (key, value) in mapping {
      if let number = leadingZeroNumber(in: value) {
        throw ConfigError(
          source: source, line: key.mark?.line,
          "'\(key.string ?? "?")' has \(number), which YAML reads as octal in whole numbers and as decimal in others: write it without the leading 0"
        )
      }
    }
    // Overlay the file's keys onto the defaults, then decode the whole.
    var merged = try Yams.compose(yaml: defaults.yaml())?.mapping ?? Node.Mapping([])
    try overlay(mapping, onto: &merged, source: source)
    var settings: Self
    do {
      settings = try YAMLDecoder().decode(Self.self, from: Node.mapping(merged))
      settings.embedded = try YAMLDecoder().decode(Embedded.self, from: Node.mapping(merged))
    } catch let error as ConfigChoiceError {
      let line = mapping.first { $0.key.string == error.key }?.key.mark?.line
      throw ConfigError(source: source, line: line, error.message)
    } catch let DecodingError.typeMismatch(type, context) {
      throw ConfigError(
        source: source, line: line(of: context, in: mapping),
        "'\(key(context))' must be \(describe(type))")
    } catch let DecodingError.dataCorrupted(context) {
      throw ConfigError(
        source: source, line: line(of: context, in: mapping),
        "'\(key(context))' has an invalid value (\(context.debugDescription))")
    } catch {
      throw ConfigError(source: source, line: nil, "\(error)")
    }
    try settings.embedded.validate()
    try settings.validateSections()
    try settings.validate()
    return settings
  }

  /// The first plain scalar in `node` that is a number written with a leading zero (`017`,
  /// `-08`), which YAML 1.1 reads as 15 where a whole number is expected and 17.0 elsewhere.
  private static func leadingZeroNumber(in node: Node) -> String? {
    switch node {
    case .scalar(let scalar):
      guard scalar.style == .plain else { return nil }
      let digits = scalar.string.drop { $0 == "-" || $0 == "+" }
      return digits.count > 1 && digits.first == "0" && digits.allSatisfy(\.isNumber)
        ? scalar.string : nil
    case .sequence(let sequence): return sequence.lazy.compactMap(leadingZeroNumber).first
    case .mapping(let mapping): return mapping.values.lazy.compactMap(leadingZeroNumber).first
    case .alias: return nil
    }
  }

  private static func key(_ context: DecodingError.Context) -> String {
    context.codingPath.isEmpty ? "?" : context.codingPath.map(\.stringValue).joined(separator: ".")
  }

  private static func line(of context: DecodingError.Context, in mapping: Node.Mapping) -> Int? {
    var entries = mapping
    var line: Int?
    for component in context.codingPath.map(\.stringValue) {
      guard let entry = entries.first(where: { $0.key.string == component }) else { break }
      line = entry.key.mark?.line
      entries = entry.value.mapping ?? Node.Mapping([])
    }
    return line
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is UInt64.Type: "a whole number"
    case is Double.Type, is Float.Type: "a number"
    case is Bool.Type: "true or false"
    default: "a \(type)"
    }
  }

  /// Settings from a YAML file.
  public static func read(_ url: URL, defaults: Self) throws -> Self {
    let text = try TextFile.read(url, what: "config")
    return try decode(yaml: text, source: url.path, defaults: defaults)
  }
}

/// Settings that hold the seed of every random choice of a run (an agent's or a model's).
public protocol SeededConfig: ConfigFile {
  var seed: UInt64 { get set }
}

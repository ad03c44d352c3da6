import Foundation
import Yams

/// A settings struct that reads and writes YAML with the same keys as its `CodingKeys`.
/// Reading is strict: an unknown key or a value of the wrong type is an error naming the line,
/// so that a typo never silently falls back to a default.
public protocol ConfigFile: Codable {
  associatedtype CodingKeys: CodingKey & CaseIterable
  /// Checks values after decoding; throws a ``RunError`` naming the key and the valid range.
  func validate() throws
}

extension ConfigFile {
  public func validate() throws {}

  /// The YAML text of these settings, one `key: value` line per setting in `CodingKeys` order.
  ///
  /// Written here rather than by Yams' encoder, which rounds some doubles (2/3 becomes
  /// 0.666666666666667), so that reading the text back gives exactly these settings.
  public func yaml() throws -> String {
    let values = Dictionary(
      uniqueKeysWithValues: Mirror(reflecting: self).children.compactMap { child in
        child.label.map { (ConfigYAML.snakeCase($0), child.value) }
      })
    return try CodingKeys.allCases.map { key in
      guard let value = values[key.stringValue] else {
        throw RunError("\(Self.self) has no property for the key '\(key.stringValue)'")
      }
      return "\(key.stringValue): \(try ConfigYAML.scalar(value))"
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
    guard let mapping = node.mapping else {
      throw RunError("\(source) must be a mapping of setting: value")
    }
    let known = CodingKeys.allCases.map(\.stringValue)
    for (key, _) in mapping {
      guard let name = key.string, known.contains(name) else {
        let line = key.mark.map { " (line \($0.line))" } ?? ""
        throw RunError(
          "\(source)\(line): unknown key '\(key.string ?? "?")'; known keys: \(known.joined(separator: ", "))"
        )
      }
    }
    // Overlay the file's keys onto the defaults, then decode the whole.
    var merged = try Yams.compose(yaml: defaults.yaml())?.mapping ?? Node.Mapping([])
    for (key, value) in mapping { merged[key] = value }
    let settings: Self
    do {
      settings = try YAMLDecoder().decode(Self.self, from: Node.mapping(merged))
    } catch let DecodingError.typeMismatch(type, context) {
      throw RunError(
        "\(source)\(line(of: context, in: mapping)): '\(key(context))' must be \(describe(type))")
    } catch let DecodingError.dataCorrupted(context) {
      throw RunError(
        "\(source)\(line(of: context, in: mapping)): '\(key(context))' has an invalid value (\(context.debugDescription))"
      )
    } catch {
      throw RunError("\(source): \(error)")
    }
    try settings.validate()
    return settings
  }

  private static func key(_ context: DecodingError.Context) -> String {
    context.codingPath.first?.stringValue ?? "?"
  }

  private static func line(of context: DecodingError.Context, in mapping: Node.Mapping) -> String {
    let name = key(context)
    return mapping.first { $0.key.string == name }?.key.mark.map { " (line \($0.line))" } ?? ""
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
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw RunError("cannot read config \(url.path): no such file or not readable")
    }
    return try decode(yaml: text, source: url.path, defaults: defaults)
  }
}

/// The YAML spelling of setting values.
enum ConfigYAML {
  /// `batchSize` → `batch_size`, `doubleDQN` → `double_dqn`.
  static func snakeCase(_ name: String) -> String {
    var text = ""
    var previous: Character?
    for character in name {
      if character.isUppercase, let p = previous, p.isLowercase || p.isNumber { text += "_" }
      text += character.lowercased()
      previous = character
    }
    return text
  }

  static func scalar(_ value: Any) throws -> String {
    switch value {
    case let flag as Bool: return flag ? "true" : "false"
    case let number as Double: return number.description
    case let number as Float: return number.description
    case let number as Int: return number.description
    case let number as UInt64: return number.description
    case let text as String: return string(text)
    case let list as [String]: return "[" + list.map(string).joined(separator: ", ") + "]"
    case let list as [Int]: return "[" + list.map(\.description).joined(separator: ", ") + "]"
    case let list as [Double]: return "[" + list.map(\.description).joined(separator: ", ") + "]"
    case let raw as any RawRepresentable:
      if let text = raw.rawValue as? String { return string(text) }
      throw RunError("cannot write \(raw) as YAML")
    default:
      throw RunError("cannot write \(value) as YAML")
    }
  }

  /// Plain when that is unambiguous, a block literal for several lines, otherwise quoted.
  static func string(_ text: String) -> String {
    if text.contains("\n") {
      return "|-\n"
        + text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(
          separator: "\n")
    }
    let plain =
      !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
      && Double(text) == nil
      && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
    if plain { return text }
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
      of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }
}

/// A YAML file of named sections, each the settings of one ``ConfigFile`` (a run's `config.yaml`
/// with `environment:` and `agent:`).
public enum SectionedConfig {
  /// The sections of the file at `url`; unknown section names are errors naming the line.
  public static func read(_ url: URL, sections names: [String]) throws -> [String: Node] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw RunError("cannot read config \(url.path): no such file or not readable")
    }
    guard let node = try? Yams.compose(yaml: text), let mapping = node.mapping else {
      throw RunError(
        "\(url.path) must be a mapping with \(names.map { "\($0):" }.joined(separator: " and ")) sections"
      )
    }
    var sections: [String: Node] = [:]
    for (key, value) in mapping {
      guard let name = key.string, names.contains(name) else {
        let line = key.mark.map { " (line \($0.line))" } ?? ""
        throw RunError(
          "\(url.path)\(line): unknown key '\(key.string ?? "?")'; known keys: \(names.joined(separator: ", "))"
        )
      }
      sections[name] = value
    }
    return sections
  }

  /// The text of a file with these sections, in order.
  public static func text(_ sections: [(String, String)]) -> String {
    sections.map { name, body in
      let indented = body.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
      return "\(name):\n\(indented)"
    }.joined()
  }
}

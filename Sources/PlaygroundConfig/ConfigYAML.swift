import Foundation

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
    case let map as [Int: Int]:
      return "{"
        + map.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
          separator: ", ") + "}"
    case let list as [Double]: return "[" + list.map(\.description).joined(separator: ", ") + "]"
    case let list as [any RawRepresentable]:
      return "[" + (try list.map { try scalar($0) }).joined(separator: ", ") + "]"
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

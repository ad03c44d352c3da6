/// A setting that takes one of a few names (`loss: huber`): read from YAML by name, and a name
/// it does not know is an error that lists the ones it does.
public protocol ConfigChoice: Codable, CaseIterable, RawRepresentable, Sendable
where RawValue == String {}

extension ConfigChoice {
  public init(from decoder: any Decoder) throws {
    let name = try decoder.singleValueContainer().decode(String.self)
    guard let value = Self(rawValue: name) else {
      throw ConfigChoiceError(
        key: decoder.codingPath.first?.stringValue ?? "?", got: name,
        allowed: Self.allCases.map(\.rawValue))
    }
    self = value
  }
}

/// A name that is none of a ``ConfigChoice``'s.
struct ConfigChoiceError: Error {
  let key: String
  let got: String
  let allowed: [String]

  var message: String {
    let names =
      allowed.count > 1
      ? allowed.dropLast().joined(separator: ", ") + " or " + allowed.last! : allowed.joined()
    return "\(key) must be \(names), got '\(got)'"
  }
}

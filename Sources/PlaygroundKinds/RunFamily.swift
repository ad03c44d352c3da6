/// A family of kinds, as a scenario's `kind:` names it (`classify`, `rl`, `gan`, `text`, or a
/// registered kind's own): each has one or more kinds in ``RunKinds``, told apart by the names
/// of what they work on and of their agent.
public struct RunFamily: Hashable, Sendable, CustomStringConvertible {
  /// The name `kind:` gives.
  public let rawValue: String
  /// The key that names what the family works on, e.g. `dataset` or `environment`.
  public let subjectKey: String

  public init(_ name: String, subjectKey: String = "dataset") {
    rawValue = name
    self.subjectKey = subjectKey
  }

  /// The family of some kind in ``RunKinds/all`` named `rawValue`, or `nil`.
  public init?(rawValue: String) {
    guard let family = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
    self = family
  }

  public static let classify = RunFamily("classify")
  public static let rl = RunFamily("rl", subjectKey: "environment")
  public static let gan = RunFamily("gan")
  public static let text = RunFamily("text")

  /// The families of ``RunKinds/all``, each once, in its order.
  public static var allCases: [RunFamily] {
    var families: [RunFamily] = []
    for kind in RunKinds.all where !families.contains(kind.family) { families.append(kind.family) }
    return families
  }

  public var description: String { rawValue }

  public static func == (left: RunFamily, right: RunFamily) -> Bool {
    left.rawValue == right.rawValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

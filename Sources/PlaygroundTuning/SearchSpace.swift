import Foundation

/// The values one setting may take in a search, as Optuna's distributions: `uniform`,
/// `log_uniform`, `int` (optionally on a log scale) and `choice`.
public enum Distribution: Equatable, Sendable {
  /// Uniform on `[low, high]`.
  case uniform(low: Double, high: Double)
  /// Uniform in the logarithm on `[low, high]` (`0 < low`): learning rates and the like.
  case logUniform(low: Double, high: Double)
  /// Whole numbers in `[low, high]`, each as likely (or, `log`, uniform in the logarithm; then
  /// `1 ≤ low`).
  case integer(low: Int, high: Int, log: Bool)
  /// One of the values, each given as the YAML text the setting takes (e.g. `[64, 64]`).
  case choice([String])

  /// Whether a value is an index into ``choice`` rather than a number.
  public var isCategorical: Bool {
    if case .choice = self { return true }
    return false
  }

  /// The interval the samplers work on: log-scaled for log distributions, widened by ½ on each
  /// side for whole numbers so that each has an equal share. `nil` for a choice.
  public var internalRange: ClosedRange<Double>? {
    switch self {
    case .uniform(let low, let high): return low...high
    case .logUniform(let low, let high): return log(low)...log(high)
    case .integer(let low, let high, let isLog):
      return isLog
        ? log(Double(low) - 0.5)...log(Double(high) + 0.5)
        : (Double(low) - 0.5)...(Double(high) + 0.5)
    case .choice: return nil
    }
  }

  /// The setting's value for a point of ``internalRange`` (a choice: the index).
  public func value(internal x: Double) -> Double {
    switch self {
    case .uniform(let low, let high): return min(max(x, low), high)
    case .logUniform(let low, let high): return min(max(exp(x), low), high)
    case .integer(let low, let high, let isLog):
      let number = (isLog ? exp(x) : x).rounded()
      return min(max(number, Double(low)), Double(high))
    case .choice(let values): return min(max(x.rounded(), 0), Double(values.count - 1))
    }
  }

  /// The point of ``internalRange`` for a value (the inverse of ``value(internal:)``).
  public func internalPoint(_ value: Double) -> Double {
    switch self {
    case .logUniform: return log(value)
    case .integer(_, _, let isLog): return isLog ? log(value) : value
    case .uniform, .choice: return value
    }
  }

  /// The value for people: numbers to 4 significant digits, else as ``text(_:)``.
  public func shortText(_ value: Double) -> String {
    switch self {
    case .uniform, .logUniform: return String(format: "%.4g", value)
    case .integer, .choice: return text(value)
    }
  }

  /// The value as the YAML text the setting is given: numbers in full, whole numbers without a
  /// point, a choice as written in the search.
  public func text(_ value: Double) -> String {
    switch self {
    case .uniform, .logUniform: return "\(value)"
    case .integer: return "\(Int(value))"
    case .choice(let values): return values[Int(value)]
    }
  }
}

/// The settings a search varies, in the order the scenario lists them.
public struct SearchSpace: Equatable, Sendable {
  public struct Parameter: Equatable, Sendable {
    /// The setting's key, e.g. `learning_rate`.
    public var name: String
    public var distribution: Distribution

    public init(name: String, distribution: Distribution) {
      self.name = name
      self.distribution = distribution
    }
  }

  public var parameters: [Parameter]

  public init(_ parameters: [Parameter]) { self.parameters = parameters }

  /// A uniformly random point (each setting drawn on its own), as `name → value`.
  public func randomPoint(_ random: () -> Double) -> [String: Double] {
    var point: [String: Double] = [:]
    for parameter in parameters {
      point[parameter.name] = Self.randomValue(of: parameter.distribution, random)
    }
    return point
  }

  /// One value of `distribution`, uniform on its internal scale.
  static func randomValue(of distribution: Distribution, _ random: () -> Double) -> Double {
    if case .choice(let values) = distribution {
      return Double(min(Int(random() * Double(values.count)), values.count - 1))
    }
    let range = distribution.internalRange!
    let x = range.lowerBound + random() * (range.upperBound - range.lowerBound)
    return distribution.value(internal: x)
  }
}

/// Which way the objective is better.
public enum Goal: String, Codable, Sendable, CaseIterable {
  case maximize, minimize

  /// Whether `a` is strictly better than `b`.
  public func isBetter(_ a: Double, than b: Double) -> Bool {
    self == .maximize ? a > b : a < b
  }

  /// `value` turned so that smaller is better (what the samplers and pruners compare).
  public func loss(_ value: Double) -> Double { self == .maximize ? -value : value }
}

import Foundation

/// `metrics.csv`: a header row, then one row per epoch or episode, rewritten atomically after
/// each row so that the file on disk is always complete.
public struct MetricsLog: Sendable {
  public let columns: [String]
  public private(set) var rows: [[String]] = []

  public init(columns: [String]) {
    self.columns = columns
  }

  /// Appends a row of values in column order; numbers are written with `format`.
  public mutating func append(_ values: [Double]) {
    precondition(
      values.count == columns.count,
      "metrics row has \(values.count) values for \(columns.count) columns")
    rows.append(values.map(MetricsLog.format))
  }

  /// Appends a row already formatted (read back from a `metrics.csv`).
  public mutating func append(text values: [String]) {
    precondition(
      values.count == columns.count,
      "metrics row has \(values.count) values for \(columns.count) columns")
    rows.append(values)
  }

  /// The CSV text.
  public var csv: String {
    ([columns] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  /// Integers plainly, other values with up to 6 significant digits: stable across runs.
  public static func format(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.6g", value)
    if text.contains("e") { text = String(format: "%.6e", value) }
    return text
  }
}

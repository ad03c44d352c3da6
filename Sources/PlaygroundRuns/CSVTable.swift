import Foundation

/// A comma-separated table as the runs write them (`metrics.csv`, `eval.csv`): a header row,
/// then plain values with no quoting.
public struct CSVTable: Sendable {
  public let columns: [String]
  public let rows: [[String]]

  public init(columns: [String], rows: [[String]]) {
    self.columns = columns
    self.rows = rows
  }

  /// Parses `text`; blank lines are skipped.
  public init(text: String) {
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    columns = lines.first ?? []
    rows = Array(lines.dropFirst())
  }

  /// Reads `url`, or `nil` when there is no such file.
  public static func read(_ url: URL) -> CSVTable? {
    (try? String(contentsOf: url, encoding: .utf8)).map(CSVTable.init(text:))
  }

  /// The values of column `name` as numbers (NaN where a value is not a number).
  public func numbers(_ name: String) -> [Double]? {
    guard let index = columns.firstIndex(of: name) else { return nil }
    return rows.map { index < $0.count ? Double($0[index]) ?? .nan : .nan }
  }

  /// Columns with at least one finite number, other than `excluding`.
  public func numericColumns(excluding: Set<String> = []) -> [String] {
    columns.filter { name in
      !excluding.contains(name) && (numbers(name) ?? []).contains { $0.isFinite }
    }
  }
}

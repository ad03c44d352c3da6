import Foundation
import PlaygroundFiles

/// A comma-separated table as the runs write them (`metrics.csv`, `eval.csv`, `trials.csv`): a
/// header row, then values — quoted (`"[64, 64]"`, `""` for a quote) where they hold a comma.
public struct CSVTable: Sendable {
  public let columns: [String]
  public let rows: [[String]]

  public init(columns: [String], rows: [[String]]) {
    self.columns = columns
    self.rows = rows
  }

  /// Parses `text`; blank lines are skipped.
  public init(text: String) {
    let lines = text.split(whereSeparator: \.isNewline).map(Self.fields)
    columns = lines.first ?? []
    rows = Array(lines.dropFirst())
  }

  /// The fields of one line, quotes removed.
  static func fields(_ line: Substring) -> [String] {
    guard line.contains("\"") else {
      return line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    var fields: [String] = []
    var field = ""
    var quoted = false
    var characters = line.makeIterator()
    while let character = characters.next() {
      switch (character, quoted) {
      case ("\"", true):
        // A doubled quote is a quote; a single one ends the quoted part.
        if let following = characters.next() {
          if following == "\"" {
            field.append("\"")
          } else {
            quoted = false
            if following == "," {
              fields.append(field)
              field = ""
            } else {
              field.append(following)
            }
          }
        } else {
          quoted = false
        }
      case ("\"", false) where field.isEmpty: quoted = true
      case (",", false):
        fields.append(field)
        field = ""
      default: field.append(character)
      }
    }
    fields.append(field)
    return fields
  }

  /// Reads `url`, or `nil` when there is no such file.
  public static func read(_ url: URL) -> CSVTable? {
    (try? UserFile.text(url, what: "table", maximumBytes: RunFolder.maximumRecordBytes))
      .map(CSVTable.init(text:))
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

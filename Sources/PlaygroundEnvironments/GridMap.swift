/// A grid world's map, read from text: one row per line, one character per cell.
///
/// | character | cell |
/// |---|---|
/// | `S` | start (one) |
/// | `F` or `.` | free (frozen) floor |
/// | `H` | hole: the episode terminates |
/// | `G` | goal: the episode terminates with the goal reward (one or more) |
/// | `C` | cliff: the cliff reward, and back to the start |
/// | `#` | wall: moves into it leave the agent in place |
public struct GridMap: Equatable, Sendable {
  public enum Cell: Character, Sendable {
    case start = "S"
    case free = "F"
    case hole = "H"
    case goal = "G"
    case cliff = "C"
    case wall = "#"
  }

  public let rows: Int
  public let columns: Int
  /// Row-major cells; state `r · columns + c` is the cell at row `r`, column `c`.
  public let cells: [Cell]
  public let start: Int

  /// Parses `text`; blank lines around it and spaces at line ends are ignored.
  /// - Throws: ``EnvironmentError`` for ragged rows, unknown characters, or a missing start or goal.
  public init(_ text: String) throws {
    // Any line ending: "\r\n" (Windows) is one Character in Swift, a newline.
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .map { $0.trimmingTrailingSpaces() }
      .drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed()
    guard let width = lines.first?.count, width > 0 else {
      throw EnvironmentError("the map is empty: give one row of cells per line (S, F, H, G, C, #)")
    }
    var cells: [Cell] = []
    for (row, line) in lines.enumerated() {
      guard line.count == width else {
        throw EnvironmentError(
          "map row \(row + 1) has \(line.count) cells, row 1 has \(width): rows must be equally long"
        )
      }
      for (column, character) in line.enumerated() {
        guard let cell = Cell(rawValue: character == "." ? "F" : character) else {
          throw EnvironmentError(
            "map row \(row + 1), column \(column + 1): unknown cell '\(character)'; use S (start), F or . (free), H (hole), G (goal), C (cliff), # (wall)"
          )
        }
        cells.append(cell)
      }
    }
    let starts = cells.indices.filter { cells[$0] == .start }
    guard starts.count == 1 else {
      throw EnvironmentError("the map needs exactly one start S, it has \(starts.count)")
    }
    guard cells.contains(.goal) else { throw EnvironmentError("the map needs a goal G") }
    rows = lines.count
    columns = width
    self.cells = cells
    start = starts[0]
  }

  /// The map as text, one row per line.
  public var text: String {
    (0..<rows).map { r in String(cells[(r * columns)..<((r + 1) * columns)].map(\.rawValue)) }
      .joined(separator: "\n")
  }
}

extension Substring {
  fileprivate func trimmingTrailingSpaces() -> String {
    var text = String(self)
    while text.last == " " || text.last == "\r" || text.last == "\t" { text.removeLast() }
    return text
  }
}

/// An environment definition is not usable; the message says what and how to fix it.
public struct EnvironmentError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

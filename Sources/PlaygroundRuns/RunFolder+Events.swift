import Foundation
import PlaygroundConfig
import PlaygroundFiles
import PlaygroundImage

/// Whether a run writes TensorBoard's event file (``RunFolder/tensorBoard``).
public enum TensorBoardLogging: Sendable, Equatable {
  /// No event file (`tensorboard: false`, `--no-tensorboard`).
  case off
  /// An event file; `session` holds the settings a sweep or study varies for this run (the
  /// HParams dashboard's columns), `nil` for a run on its own.
  case on(session: [String: String]?)
}

/// The run's tables and pictures, written to their files and, as they are written, to
/// TensorBoard's event file (``RunEvents``).
extension RunFolder {
  /// Writes `table` to `name` (e.g. `metrics.csv`) and its rows not yet in TensorBoard as
  /// scalars.
  public func write(metrics table: MetricsLog, to name: String) throws {
    try write(table.csv, to: name)
    try eventsIfOn()?.write(table, name: name)
  }

  /// Shows one row of the table `name` in TensorBoard now, before the table is written (a run
  /// that writes its table at the end, such as DQN's per-episode rows).
  public func show(row values: [Double], columns: [String], of name: String) throws {
    try eventsIfOn()?.write(row: values, columns: columns, table: name)
  }

  /// Writes `image` to `name` as a PNG and shows it in TensorBoard under `tag` (by default
  /// `name` without `.png`) at `step`.
  public func write(picture image: Image, to name: String, tag: String? = nil, step: Int = 0)
    throws
  {
    let png = try PNG.encode(image)
    try write(png, to: name)
    let shownTag = tag ?? (name.hasSuffix(".png") ? String(name.dropLast(4)) : name)
    try eventsIfOn()?.write(png: png, tag: shownTag, step: step)
  }

  /// Starts the event file: the settings as text (not again for a run taken up again) and the
  /// HParams session.
  func beginEvents(config: String) throws {
    guard case .on(let session) = tensorBoard, eventsIfStarted == nil else { return }
    let events = try RunEvents(in: stagingURL, tables: isReopened ? tableRows() : [:])
    eventsIfStarted = events
    if !isReopened { try events.write(config: config) }
    if let session { try events.startSession(session) }
  }

  /// The summary's figures and the session's end; closes the file.
  func endEvents() throws {
    guard let events = eventsIfStarted, case .on(let session) = tensorBoard else { return }
    let summaryURL = stagingURL.appendingPathComponent("summary.json")
    if let summary = try? Summary.read(summaryURL) {
      try events.finish(summary: summary, session: session != nil)
    }
    events.close()
  }

  private func eventsIfOn() throws -> RunEvents? {
    guard case .on = tensorBoard else { return nil }
    if eventsIfStarted == nil {
      try beginEvents(
        config: (try? UserFile.text(
          url(for: "config.yaml"), what: "config", maximumBytes: Self.maximumRecordBytes)) ?? "")
    }
    return eventsIfStarted
  }

  /// The rows of the tables in the folder (a run taken up again has shown them already).
  private func tableRows() -> [String: Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: stagingURL.path)) ?? []
    var rows: [String: Int] = [:]
    for name in names where name.hasSuffix(".csv") {
      guard
        let text = try? UserFile.text(
          url(for: name), what: "table", maximumBytes: Self.maximumRecordBytes)
      else { continue }
      rows[name] = max(0, text.split(separator: "\n").count - 1)
    }
    return rows
  }
}

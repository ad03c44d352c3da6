import Foundation
import PlaygroundConfig
import PlaygroundImage
import PlaygroundTensorBoard

/// What a run shows in TensorBoard: its event file (``PlaygroundTensorBoard/EventFile``) with
/// every row of its tables as scalars, its pictures, its `config.yaml` as text, its final
/// figures, and — for a run of a sweep or a study — its HParams session. A ``RunFolder`` keeps
/// one from its ``RunFolder/perform(config:_:)`` on unless TensorBoard is off.
///
/// Tags: a column of `metrics.csv` is its name (`loss`, `test_accuracy`), one of another table
/// is `<table>/<column>` (`eval/mean_return`), each at the step its table's first column says;
/// a summary figure is `summary/<key>` at step 0; the settings are the text `config`.
final class RunEvents: @unchecked Sendable {
  private let file: EventFile
  /// Rows of each table already written as scalars.
  private var emittedRows: [String: Int]
  /// Each table's column tags, made once (rows come thousands a second).
  private var tagsByTable: [String: [String]] = [:]
  /// Rows shown one at a time (``write(row:columns:table:)``) not yet appended, and when the
  /// last were: they go to the file at least every ``flushInterval``, so that a run logging
  /// thousands of episodes a second makes a few writes a second, not thousands.
  private var pending = Data()
  private var lastFlush = Date()
  static let flushInterval: TimeInterval = 0.5
  private let lock = NSLock()

  /// A new event file in `folder`; the rows `tables` already hold count as written (a run taken
  /// up again).
  init(in folder: URL, tables: [String: Int] = [:]) throws {
    file = try Self.run { try EventFile(in: folder) }
    emittedRows = tables
  }

  /// The tag of `column` of `table`.
  static func tag(_ column: String, of table: String) -> String {
    let stem = table.hasSuffix(".csv") ? String(table.dropLast(4)) : table
    return stem == "metrics" ? column : "\(stem)/\(column)"
  }

  /// The rows of `table` not yet written, each as scalars at the step of its first column.
  func write(_ table: MetricsLog, name: String) throws {
    let start = lock.withLock { emittedRows[name] ?? 0 }
    guard start < table.rows.count else { return }
    let tags = lock.withLock { cachedTags(table.columns, of: name) }
    let steps = table.rows[start...].compactMap { row -> (Int, [(String, Double)])? in
      guard let step = Self.step(row.first.flatMap(Double.init)) else { return nil }
      return (step, zip(tags, row).dropFirst().map { ($0.0, Double($0.1) ?? .nan) })
    }
    try flush()
    try Self.run { try file.write(scalarSteps: steps) }
    lock.withLock { emittedRows[name] = table.rows.count }
  }

  /// The tags of `columns` of `table`, from the cache (call with the lock held).
  private func cachedTags(_ columns: [String], of table: String) -> [String] {
    if let tags = tagsByTable[table], tags.count == columns.count { return tags }
    let tags = columns.map { Self.tag($0, of: table) }
    tagsByTable[table] = tags
    return tags
  }

  /// A table's first value as a step, when it is one.
  private static func step(_ value: Double?) -> Int? {
    guard let value, value.isFinite, abs(value) < 9e18 else { return nil }
    return Int(value)
  }

  /// One row of `table` (values in the order of `columns`) as scalars at the step of its first
  /// value, before the table itself is written.
  func write(row: [Double], columns: [String], table: String) throws {
    guard let step = Self.step(row.first) else { return }
    let tags = lock.withLock { cachedTags(columns, of: table) }
    let scalars = zip(tags, row).dropFirst().map { ($0.0, $0.1) }
    let record = try Self.run { try file.record(scalars: scalars, step: step) }
    let due = lock.withLock {
      pending.append(record)
      emittedRows[table, default: 0] += 1
      return Date().timeIntervalSince(lastFlush) >= Self.flushInterval
    }
    if due { try flush() }
  }

  /// Appends the rows shown since the last flush.
  func flush() throws {
    let records = lock.withLock {
      defer {
        pending = Data()
        lastFlush = Date()
      }
      return pending
    }
    try Self.run { try file.append(records: records) }
  }

  /// A picture (its PNG bytes) under `tag` at `step`.
  func write(png: Data, tag: String, step: Int) throws {
    try flush()
    try Self.run { try file.write(png: png, tag: tag, step: step) }
  }

  /// The run's settings, shown as a YAML code block.
  func write(config: String) throws {
    try Self.run { try file.write(text: "```yaml\n\(config)```\n", tag: "config", step: 0) }
  }

  /// Starts the run's HParams session with the settings its sweep or study varies.
  func startSession(_ hparams: [String: String]) throws {
    try Self.run {
      try file.writeSessionStart(hparams: hparams.mapValues(HParamValue.init(reading:)))
    }
  }

  /// The numbers of `summary.json` as `summary/<key>` at step 0, and the session's end with
  /// the run's status (finished: success; diverged: failure; interrupted or pruned: unknown).
  func finish(summary: [String: Any], session: Bool) throws {
    let figures = summary.compactMap { key, value -> (String, Double)? in
      // JSON's true and false read as numbers of type "c" (char): not figures.
      guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
        return nil
      }
      return ("summary/\(key)", number.doubleValue)
    }.sorted { $0.0 < $1.0 }
    try flush()
    try Self.run { try file.write(scalars: figures, step: 0) }
    guard session else { return }
    let status: SessionStatus
    switch summary["status"] as? String {
    case RunStatus.finished.rawValue?: status = .success
    case RunStatus.diverged.rawValue?: status = .failure
    default: status = .unknown
    }
    try Self.run { try file.writeSessionEnd(status) }
  }

  func close() {
    try? flush()
    file.close()
  }

  /// `body`, its ``EventFileError`` as a ``RunError``.
  private static func run<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as EventFileError {
      throw RunError(error.description)
    }
  }
}

import Foundation
import PlaygroundFiles
import PlaygroundRuns

/// One run of a sweep as its own process (`playground run FILE --job N --sweep-task`), whoever
/// started it: the local executor or a Slurm array task. It continues the run's interrupted
/// folder when the sweep's state names one, and reports what became of it in
/// `sweep/tasks/job-NNN.json`, which the executor reads into `state.json` — so tasks never write
/// the sweep's state themselves, and any number of them can run at once on any node.
public struct SweepTask {
  public let records: SweepRecords
  public let run: Scenario.Run

  public init(records: SweepRecords, run: Scenario.Run) {
    self.records = records
    self.run = run
  }

  /// What the task reports when it ends.
  public struct Report: Codable, Equatable {
    public var status: RunStatus
    /// SHA-256 of the run's `config.yaml`: a report of other settings is not taken.
    public var config: String
    /// The run folder relative to the scenario's folder (finished, or saved to resume).
    public var run: String?
    /// The one line the run ended with, when it did not finish.
    public var message: String?

    public init(status: RunStatus, config: String, run: String? = nil, message: String? = nil) {
      (self.status, self.config, self.run, self.message) = (status, config, run, message)
    }

    /// The report at `url`, if one is there and readable.
    static func read(_ url: URL) -> Report? {
      guard
        let data = try? UserFile.read(
          url, what: "task report", maximumBytes: RunFolder.maximumRecordBytes)
      else { return nil }
      return try? JSONDecoder().decode(Report.self, from: data)
    }
  }

  /// `job-007`: the stem of the task's report and log.
  public static func name(_ index: Int) -> String { String(format: "job-%03d", index) }

  /// `sweep/tasks/job-NNN.json`.
  public var reportURL: URL {
    records.tasksFolder.appendingPathComponent("\(Self.name(run.index)).json")
  }
  /// `sweep/logs/job-NNN.log`: what the run printed.
  public var logURL: URL {
    records.logsFolder.appendingPathComponent("\(Self.name(run.index)).log")
  }

  /// `sweep/tasks/job-NNN.staging`: the staging folder of the new run in progress, so that the
  /// executor can remove it when the task is killed before it could.
  var stagingNoteURL: URL {
    records.tasksFolder.appendingPathComponent("\(Self.name(run.index)).staging")
  }

  /// Notes the staging folder of the run the task has just begun
  /// (``PlaygroundRuns/RunContext/onNewFolder``).
  public func noteStaging(_ folder: URL) {
    try? FileManager.default.createDirectory(
      at: records.tasksFolder, withIntermediateDirectories: true)
    try? Data(folder.path.utf8).write(to: stagingNoteURL, options: .atomic)
  }

  /// Removes the staging folder a killed task left behind (nothing half-written stays), and the
  /// note of it.
  func removeOrphanedStaging() {
    defer { try? FileManager.default.removeItem(at: stagingNoteURL) }
    guard let path = try? String(contentsOf: stagingNoteURL, encoding: .utf8),
      path.hasSuffix(".partial"),
      URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        == records.folder.standardizedFileURL.path
    else { return }
    try? FileManager.default.removeItem(atPath: path)
  }

  /// The interrupted run folder with the same settings to continue, when the run's kind resumes.
  public func resumableFolder() throws -> URL? {
    guard type(of: run.job) is any ResumableRunJob.Type,
      let entry = records.readState().entries[String(run.index)], entry.status == .interrupted,
      entry.config == (try SweepRecords.configHash(run)), let saved = entry.run
    else { return nil }
    let folder = records.folder.appendingPathComponent(saved)
    return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
  }

  /// Writes the report (atomically: an executor never reads half of one).
  public func report(_ status: RunStatus, folder: URL? = nil, message: String? = nil) throws {
    let report = Report(
      status: status, config: try SweepRecords.configHash(run), run: folder?.lastPathComponent,
      message: message)
    try FileManager.default.createDirectory(
      at: records.tasksFolder, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(report).write(to: reportURL, options: .atomic)
    try? FileManager.default.removeItem(at: stagingNoteURL)
  }

  /// The report of the task's last process, if it wrote one.
  public func readReport() -> Report? { Report.read(reportURL) }

  /// Forgets the last report, before the task runs again.
  public func clearReport() {
    try? FileManager.default.removeItem(at: reportURL)
  }

  /// What the sweep records of the task once its process is gone: its report when it wrote one
  /// for these settings; otherwise (killed, out of memory, a crash) a failure with its log's last
  /// line — or an interruption, when the process exited as Ctrl-C does. A killed task's staging
  /// folder is removed then.
  /// - Parameter exitStatus: the process's, when the executor knows it (Slurm's array tasks
  ///   are followed without an accounting database, so there it is `nil`).
  public func outcome(config: String, label: String, exitStatus: Int32?) -> SweepState.Entry {
    var entry = SweepState.Entry(label: label, config: config, status: .failed)
    if let report = readReport(), report.config == config {
      entry.status = report.status
      entry.run = report.run
      entry.message = report.message
      if report.status == .finished, exitStatus ?? 0 != 0 {
        // It finished, then could not end cleanly (e.g. its records could not be written).
        entry.status = .failed
        entry.message = lastLogLine() ?? "exit status \(exitStatus!)"
      }
    } else if exitStatus == 130 {
      entry.status = .interrupted
      entry.message = lastLogLine()
    } else {
      let ending =
        exitStatus.map { "exit status \($0)" } ?? "no report: killed, out of memory or out of time?"
      entry.message = lastLogLine().map { "\($0) (\(ending))" } ?? ending
      removeOrphanedStaging()
    }
    return entry
  }

  /// The last non-empty line of the task's log: what it ended with.
  public func lastLogLine() -> String? { LoggedProcess.lastLine(of: logURL) }
}

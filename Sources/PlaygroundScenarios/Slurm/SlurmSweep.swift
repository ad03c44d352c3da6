import Foundation
import PlaygroundConfig
import PlaygroundFiles
import PlaygroundRuns

/// The Slurm executor: a sweep's runs that are not done yet as one job array
/// (``SlurmScript``), followed through the queue and the tasks' own reports (``SweepTask``)
/// and collected into `state.json`, `sweep.csv` and `sweep.png` exactly as the local executor
/// collects them. Running it again while the array runs follows it; afterwards it collects and
/// submits only the runs that did not finish (an interrupted GAN continues where it stopped).
public struct SlurmSweep {
  public let records: SweepRecords
  public var request: SlurmRequest
  /// The program and arguments of one run as a task, without `--job`.
  public var command: [String]
  public var client = SlurmClient()
  /// Seconds between two looks at the queue.
  public var pollInterval: TimeInterval = 2

  public init(records: SweepRecords, request: SlurmRequest, command: [String]) {
    self.records = records
    self.request = request
    self.command = command
  }

  /// What to do once the script is written.
  public enum Mode: Sendable {
    /// Submit, follow the array and collect when it ends.
    case follow
    /// Submit and return with the job id.
    case detach
    /// Write and print the script; submit nothing.
    case printScript
  }

  /// `sweep/slurm.sh`.
  public var scriptURL: URL { records.url.appendingPathComponent("slurm.sh") }

  /// Submits (or follows) the sweep's runs as `mode` says.
  /// - Returns: what became of the runs when they were followed to the end or had ended
  ///   before; `nil` when the runs go on without us.
  /// - Throws: ``RunError`` when Slurm cannot be used; ``RunInterrupted`` on Ctrl-C while
  ///   following (the array goes on).
  public func run(
    _ mode: Mode, say: @escaping (String) -> Void, progress: @escaping (SlurmProgress) -> Void
  ) throws -> SweepRunner.Outcome? {
    if mode != .printScript { try client.checkInstalled() }
    let lock = try SweepLock(records.url)
    defer { withExtendedLifetime(lock) {} }
    let hashes = try records.configHashes()
    var collected: SweepRunner.Outcome?
    if mode != .printScript, let submission = SlurmSubmission.read(records.url) {
      if try !client.queuedTasks(of: submission.job).isEmpty {
        guard mode == .follow else {
          say(
            "Slurm job \(submission.job) is running this sweep already (\(counted(submission.runs.count, "run"))): nothing submitted; follow it without --detach"
          )
          return nil
        }
        say("Slurm job \(submission.job) is running this sweep: following it")
        return try follow(submission, hashes: hashes, progress: progress)
      }
      collected = try collect(submission, hashes: hashes)
      say("Slurm job \(submission.job) has ended: its runs are collected")
    }
    let state = records.readState(adoptingReports: hashes)
    let pending = records.pendingRuns(state, hashes: hashes)
    if pending.isEmpty {
      try records.writeAggregates(state)
      if let collected { return collected }
      say("all \(counted(records.runs.count, "run")) finished before: nothing to submit")
      var outcome = SweepRunner.Outcome()
      outcome.skipped = records.runs.count
      return outcome
    }
    let script = try writeScript(for: pending)
    if mode == .printScript {
      say(script.text)
      return nil
    }
    let submission = try submit(pending)
    try records.writeAggregates(state)
    let before = records.runs.count - pending.count
    say(
      "submitted Slurm job \(submission.job): \(counted(pending.count, "run"))\(before > 0 ? " (\(before) finished before)" : "") — \(scriptURL.path); cancel with: scancel \(submission.job)"
    )
    guard mode == .follow else { return nil }
    return try follow(submission, hashes: hashes, progress: progress)
  }

  /// Writes `slurm.sh` for `runs`.
  func writeScript(for runs: [Scenario.Run]) throws -> SlurmScript {
    let script = SlurmScript(
      scenarioName: records.scenario.name, runIndices: runs.map(\.index),
      runCount: records.runs.count, request: request, command: command,
      logs: records.logsFolder,
      workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    try FileManager.default.createDirectory(
      at: records.logsFolder, withIntermediateDirectories: true)
    try Data(script.text.utf8).write(to: scriptURL, options: .atomic)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptURL.path)
    return script
  }

  /// Submits `slurm.sh` (written for `runs`) and remembers the job in `slurm.json`.
  func submit(_ runs: [Scenario.Run]) throws -> SlurmSubmission {
    try records.writeExperiment()
    for run in runs { SweepTask(records: records, run: run).clearReport() }
    let job: String
    do {
      job = try client.submit(scriptURL)
    } catch let error as RunError {
      throw RunError("\(error.description) (the script is kept: \(scriptURL.path))")
    }
    let submission = SlurmSubmission(job: job, runs: runs.map(\.index), submitted: Date())
    try submission.write(records.url)
    return submission
  }

  /// Follows `submission` until no task of it is queued or running, then collects.
  func follow(
    _ submission: SlurmSubmission, hashes: [Int: String],
    progress: @escaping (SlurmProgress) -> Void
  ) throws -> SweepRunner.Outcome {
    try Interruption.listen(notice: "detaching from Slurm job \(submission.job): its runs go on") {
      var unreachableSince: Date?
      while true {
        if Interruption.isRequested {
          throw RunInterrupted(
            "detached from Slurm job \(submission.job): its runs go on — run the same command again to collect them, or cancel them with: scancel \(submission.job)"
          )
        }
        let queue: [Int: SlurmClient.QueueState]
        do {
          queue = try client.queuedTasks(of: submission.job)
          unreachableSince = nil
        } catch {
          // A busy controller now and then does not answer; a minute of silence ends the wait.
          let since = unreachableSince ?? Date()
          unreachableSince = since
          if Date().timeIntervalSince(since) > 60 {
            throw RunError(
              "\(error) — Slurm job \(submission.job) may go on; run the same command again to collect it"
            )
          }
          Thread.sleep(forTimeInterval: pollInterval)
          continue
        }
        progress(
          SlurmProgress(submission: submission, queue: queue, records: records, hashes: hashes))
        if queue.isEmpty { break }
        Thread.sleep(forTimeInterval: pollInterval)
      }
      return try collect(submission, hashes: hashes)
    }
  }

  /// Reads the tasks' reports of `submission` into `state.json`, writes the aggregates and
  /// forgets the submission.
  @discardableResult
  func collect(_ submission: SlurmSubmission, hashes: [Int: String]) throws -> SweepRunner.Outcome {
    var state = records.readState()
    var outcome = SweepRunner.Outcome()
    outcome.skipped = records.runs.count - submission.runs.count
    var endStates: [Int: String]?
    for run in records.runs where submission.runs.contains(run.index) {
      let task = SweepTask(records: records, run: run)
      var entry = task.outcome(config: hashes[run.index]!, label: run.label, exitStatus: nil)
      if task.readReport() == nil, task.lastLogLine() == nil {
        // Gone from the queue without a line: cancelled (an interruption), or lost by the
        // cluster (a failure that running the sweep again repairs).
        endStates = endStates ?? client.endStates(of: submission.job)
        let state = endStates?[run.index]
        if state == "CANCELLED" {
          entry.status = .interrupted
          entry.message = "cancelled before it started"
        } else {
          entry.status = .failed
          entry.message =
            "Slurm job \(submission.job) task \(run.index) left the queue without starting (\(state.map { "state \($0)" } ?? "no trace of it left in Slurm")): run the same command again to run it"
        }
      }
      state.entries[String(run.index)] = entry
      outcome.count(entry, of: run)
    }
    try state.write(records.stateURL)
    try records.writeAggregates(state)
    SlurmSubmission.remove(records.url)
    return outcome
  }

  /// The progress of the sweep's Slurm job for `playground inspect`, when one was submitted.
  public static func progress(ofSweep folder: URL, client: SlurmClient = SlurmClient()) -> String? {
    guard let submission = SlurmSubmission.read(folder) else { return nil }
    guard let queue = try? client.queuedTasks(of: submission.job) else {
      return
        "Slurm job \(submission.job): \(counted(submission.runs.count, "run")) submitted \(submission.submitted); the queue cannot be read here"
    }
    var counts = SlurmProgress(job: submission.job)
    for index in submission.runs {
      let report = SweepTask.Report.read(
        folder.appendingPathComponent("tasks/\(SweepTask.name(index)).json"))
      counts.count(index, queue: queue, report: report)
    }
    return counts.description
      + (queue.isEmpty ? " — run the scenario again to collect" : "")
  }
}

/// Where the tasks of a sweep's Slurm job stand: one line, as `playground run` shows it.
public struct SlurmProgress: Equatable, CustomStringConvertible, Sendable {
  public var job: String
  public var queued = 0
  public var running = 0
  public var finished = 0
  public var failed = 0
  public var interrupted = 0
  public var diverged = 0

  init(job: String) { self.job = job }

  init(
    submission: SlurmSubmission, queue: [Int: SlurmClient.QueueState], records: SweepRecords,
    hashes: [Int: String]
  ) {
    self.init(job: submission.job)
    for run in records.runs where submission.runs.contains(run.index) {
      let report = SweepTask(records: records, run: run).readReport()
      count(run.index, queue: queue, report: report?.config == hashes[run.index] ? report : nil)
    }
  }

  mutating func count(_ index: Int, queue: [Int: SlurmClient.QueueState], report: SweepTask.Report?)
  {
    if let report {
      switch report.status {
      case .finished, .pruned: finished += 1
      case .diverged: diverged += 1
      case .failed: failed += 1
      case .interrupted: interrupted += 1
      }
    } else {
      switch queue[index] {
      case .queued: queued += 1
      case .running: running += 1
      case nil: failed += 1  // Gone without a report: killed.
      }
    }
  }

  public var description: String {
    var parts = [
      "\(queued) queued", "\(running) running", "\(finished) finished", "\(failed) failed",
    ]
    if diverged > 0 { parts.append("\(diverged) diverged") }
    if interrupted > 0 { parts.append("\(interrupted) interrupted") }
    return "Slurm job \(job): " + parts.joined(separator: " · ")
  }
}

/// `sweep/slurm.json`: the Slurm job running a sweep's runs, until it is collected.
struct SlurmSubmission: Codable, Sendable {
  var job: String
  /// The scenario's run indices it runs (its array task ids).
  var runs: [Int]
  var submitted: Date

  static func url(_ sweepFolder: URL) -> URL { sweepFolder.appendingPathComponent("slurm.json") }

  static func read(_ sweepFolder: URL) -> SlurmSubmission? {
    guard
      let data = try? UserFile.read(
        url(sweepFolder), what: "submission", maximumBytes: RunFolder.maximumRecordBytes)
    else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try? decoder.decode(SlurmSubmission.self, from: data)
  }

  func write(_ sweepFolder: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    try encoder.encode(self).write(to: Self.url(sweepFolder), options: .atomic)
  }

  static func remove(_ sweepFolder: URL) {
    try? FileManager.default.removeItem(at: url(sweepFolder))
  }
}

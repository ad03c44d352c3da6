import Foundation
import PlaygroundConfig
import PlaygroundKinds
import PlaygroundRuns

/// Runs the runs of a scenario as separate processes, `parallel` at a time, each into its own
/// run folder, and writes `<output_dir>/<name>/sweep/`: `state.json`, `sweep.csv`, `sweep.png`
/// and one log per run. Runs that finished before (same config) are not redone; a failed or
/// interrupted run is reported and can be re-run alone.
public struct SweepRunner {
  public let scenario: Scenario
  public let runs: [Scenario.Run]
  /// Processes at a time.
  public var parallel: Int
  /// The program and arguments that run one run as a ``SweepTask``.
  public var command: (_ run: Scenario.Run) -> (URL, [String])
  /// Added to each process's environment.
  public var environment: [String: String] = [:]

  public init(
    scenario: Scenario, runs: [Scenario.Run], parallel: Int,
    command: @escaping (Scenario.Run) -> (URL, [String])
  ) {
    self.scenario = scenario
    self.runs = runs
    self.parallel = max(1, parallel)
    self.command = command
  }

  /// `<output_dir>/<name>/`.
  public var folder: URL { records.folder }
  public var sweepFolder: URL { records.url }
  var records: SweepRecords { SweepRecords(scenario: scenario, runs: runs) }

  /// What became of the sweep.
  public struct Outcome {
    public var finished = 0
    public var skipped = 0
    public var failed: [(run: Scenario.Run, message: String)] = []
    public var interrupted = 0
    /// Runs that an interrupt kept from starting (the runs in progress may still have finished).
    public var notStarted = 0
    /// Runs whose training diverged: kept, and not redone.
    public var diverged = 0

    /// Counts what became of `run`.
    mutating func count(_ entry: SweepState.Entry, of run: Scenario.Run) {
      switch entry.status {
      case .finished, .pruned: finished += 1
      case .diverged: diverged += 1
      case .interrupted: interrupted += 1
      case .failed: failed.append((run, entry.message ?? "failed"))
      }
    }
  }

  /// Runs every run that is not done yet and writes the aggregates.
  public func run(print say: @escaping (String) -> Void = { Swift.print($0) }) throws -> Outcome {
    let lock = try SweepLock(sweepFolder)
    defer { withExtendedLifetime(lock) {} }
    if let submission = SlurmSubmission.read(sweepFolder),
      let queue = try? SlurmClient().queuedTasks(of: submission.job), !queue.isEmpty
    {
      throw RunError(
        "Slurm job \(submission.job) is running this sweep: follow it with --executor slurm, or cancel it with: scancel \(submission.job)"
      )
    }
    let execution = SweepExecution(runner: self, hashes: try records.configHashes(), say: say)
    try FileManager.default.createDirectory(
      at: records.logsFolder, withIntermediateDirectories: true)
    try records.writeExperiment()
    try Interruption.listen(notice: "stopping the sweep once the runs in progress stop") {
      while !execution.pending.isEmpty || !execution.active.isEmpty {
        if Interruption.isRequested {
          try execution.stopAll()
          execution.outcome.notStarted = execution.pending.count
          break
        }
        while execution.active.count < parallel, !execution.pending.isEmpty {
          try execution.start(execution.pending.removeFirst())
        }
        if let done = execution.active.firstIndex(where: { !$0.process.isRunning }) {
          try execution.settle(execution.active.remove(at: done))
        } else {
          Thread.sleep(forTimeInterval: 0.05)
        }
      }
    }
    try records.writeAggregates(execution.state)
    return execution.outcome
  }
}

/// One pass of a ``SweepRunner``: the runs waiting and running, and what became of each.
final class SweepExecution {
  /// A run's process.
  struct Job {
    let task: SweepTask
    let process: Process
    let started: Date
  }

  let runner: SweepRunner
  let hashes: [Int: String]
  let say: (String) -> Void
  var state: SweepState
  var outcome = SweepRunner.Outcome()
  var pending: [Scenario.Run]
  var active: [Job] = []
  private var completed: Int

  init(runner: SweepRunner, hashes: [Int: String], say: @escaping (String) -> Void) {
    (self.runner, self.hashes, self.say) = (runner, hashes, say)
    state = runner.records.readState(adoptingReports: hashes)
    pending = runner.records.pendingRuns(state, hashes: hashes)
    outcome.skipped = runner.runs.count - pending.count
    completed = outcome.skipped
    if outcome.skipped > 0 {
      say("\(outcome.skipped) of \(runner.runs.count) runs finished before: not redone")
    }
  }

  /// Starts `run`'s process (which resumes its interrupted run when its kind can).
  func start(_ run: Scenario.Run) throws {
    let task = SweepTask(records: runner.records, run: run)
    task.clearReport()
    let resumes = try task.resumableFolder() != nil
    let (executable, arguments) = runner.command(run)
    let process = try LoggedProcess.start(
      executable, arguments, environment: runner.environment, log: task.logURL)
    say("job \(run.index) (\(run.label)) \(resumes ? "resumed" : "started")")
    active.append(Job(task: task, process: process, started: Date()))
  }

  /// Records what became of a job whose process ended.
  func settle(_ job: Job) throws {
    job.process.waitUntilExit()
    let run = job.task.run
    var entry = job.task.outcome(
      config: hashes[run.index]!, label: run.label, exitStatus: job.process.terminationStatus)
    // After Ctrl-C a run that did not finish was stopped, whatever its exit says.
    if entry.status == .failed, Interruption.isRequested { entry.status = .interrupted }
    completed += 1
    outcome.count(entry, of: run)
    let prefix = "[\(completed)/\(runner.runs.count)] job \(run.index) (\(run.label))"
    switch entry.status {
    case .finished:
      say(
        "\(prefix): finished in \(String(format: "%.1f", Date().timeIntervalSince(job.started))) s → \(runner.folder.appendingPathComponent(entry.run ?? "?").path)"
      )
    case .interrupted: say("\(prefix): interrupted")
    case .pruned: say("\(prefix): pruned — kept in \(entry.run ?? "?")")
    case .diverged: say("\(prefix): diverged: \(entry.message ?? "") — kept in \(entry.run ?? "?")")
    case .failed: say("\(prefix): failed: \(entry.message ?? "") — log \(job.task.logURL.path)")
    }
    state.entries[String(run.index)] = entry
    try state.write(runner.records.stateURL)
  }

  /// After Ctrl-C: a Ctrl-C at the terminal reached the runs too; pass it on to any that did
  /// not stop within 2 s, and record each.
  func stopAll() throws {
    LoggedProcess.interrupt(active.map(\.process))
    for job in active { try settle(job) }
    active.removeAll()
  }
}

import Foundation
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
  /// The program and arguments that run one run alone and write its folder's path to `record`;
  /// `resume` is the folder of an interrupted run of it to continue (a GAN's), if any.
  public var command: (_ run: Scenario.Run, _ record: URL, _ resume: URL?) -> (URL, [String])
  /// Added to each process's environment.
  public var environment: [String: String] = [:]

  public init(
    scenario: Scenario, runs: [Scenario.Run], parallel: Int,
    command: @escaping (Scenario.Run, URL, URL?) -> (URL, [String])
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
  }

  /// Runs every run that is not done yet and writes the aggregates.
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> Outcome {
    let stateURL = records.stateURL
    var state = records.readState()
    var outcome = Outcome()
    var hashes: [Int: String] = [:]
    for run in runs { hashes[run.index] = try SweepRecords.configHash(run) }
    var pending = runs.filter { !state.isDone($0.index, config: hashes[$0.index]!, in: folder) }
    outcome.skipped = runs.count - pending.count
    if outcome.skipped > 0 {
      say("\(outcome.skipped) of \(runs.count) runs finished before: not redone")
    }
    let logs = sweepFolder.appendingPathComponent("logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    var active: [(run: Scenario.Run, process: Process, record: URL, log: URL, started: Date)] = []
    var completed = outcome.skipped

    func settle(_ job: (run: Scenario.Run, process: Process, record: URL, log: URL, started: Date))
      throws
    {
      let status = job.process.terminationStatus
      let recorded = (try? String(contentsOf: job.record, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      var entry = SweepState.Entry(
        label: job.run.label, config: hashes[job.run.index]!, status: "finished", run: nil)
      completed += 1
      let prefix = "[\(completed)/\(runs.count)] job \(job.run.index) (\(job.run.label))"
      if status == 0, let recorded {
        entry.run = URL(fileURLWithPath: recorded).lastPathComponent
        outcome.finished += 1
        say(
          "\(prefix): finished in \(String(format: "%.1f", Date().timeIntervalSince(job.started))) s → \(folder.appendingPathComponent(entry.run!).path)"
        )
      } else {
        let lines = ((try? String(contentsOf: job.log, encoding: .utf8)) ?? "")
          .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        let message = lines.last ?? "exit status \(status)"
        entry.message = message
        if status == 130 || Interruption.isRequested {
          entry.status = "interrupted"
          entry.run = recorded.map { URL(fileURLWithPath: $0).lastPathComponent }
          outcome.interrupted += 1
          say("\(prefix): interrupted")
        } else {
          entry.status = "failed"
          outcome.failed.append((job.run, message))
          say("\(prefix): failed (exit \(status)): \(message) — log \(job.log.path)")
        }
      }
      state.entries[String(job.run.index)] = entry
      try state.write(stateURL)
    }

    try Interruption.listen(notice: "stopping the sweep once the runs in progress stop") {
      while !pending.isEmpty || !active.isEmpty {
        if Interruption.isRequested {
          // A Ctrl-C at the terminal reached the runs too; pass it on to any that did not stop.
          let grace = Date().addingTimeInterval(2)
          while Date() < grace, active.contains(where: { $0.process.isRunning }) {
            Thread.sleep(forTimeInterval: 0.05)
          }
          for job in active where job.process.isRunning {
            kill(job.process.processIdentifier, SIGINT)
          }
          for job in active {
            job.process.waitUntilExit()
            try settle(job)
          }
          active.removeAll()
          break
        }
        while active.count < parallel, !pending.isEmpty {
          let run = pending.removeFirst()
          let name = String(format: "job-%03d", run.index)
          let record = logs.appendingPathComponent("\(name).run")
          let log = logs.appendingPathComponent("\(name).log")
          try? FileManager.default.removeItem(at: record)
          _ = FileManager.default.createFile(atPath: log.path, contents: nil)
          // A run interrupted with its state saved (a GAN) continues instead of starting over.
          var resume: URL?
          if let entry = state.entries[String(run.index)], entry.status == "interrupted",
            entry.config == hashes[run.index], let saved = entry.run,
            FileManager.default.fileExists(
              atPath: folder.appendingPathComponent(saved)
                .appendingPathComponent("checkpoint/training-state.safetensors").path)
          {
            resume = folder.appendingPathComponent(saved)
          }
          let (executable, arguments) = command(run, record, resume)
          let process = Process()
          process.executableURL = executable
          process.arguments = arguments
          process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
          let handle = try FileHandle(forWritingTo: log)
          process.standardOutput = handle
          process.standardError = handle
          process.standardInput = FileHandle.nullDevice
          try process.run()
          try handle.close()
          say("job \(run.index) (\(run.label)) \(resume == nil ? "started" : "resumed")")
          active.append((run, process, record, log, Date()))
        }
        if let done = active.firstIndex(where: { !$0.process.isRunning }) {
          let job = active.remove(at: done)
          job.process.waitUntilExit()
          try settle(job)
        } else {
          Thread.sleep(forTimeInterval: 0.05)
        }
      }
    }
    try records.writeAggregates(state)
    return outcome
  }
}

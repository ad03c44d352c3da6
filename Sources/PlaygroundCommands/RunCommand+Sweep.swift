import Foundation
import PlaygroundConfig
import PlaygroundRuns
import PlaygroundScenarios

/// A scenario's several runs, on either executor.
extension RunCommand {
  /// This program, as the runs' processes start it.
  static var binary: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

  /// The arguments that run one run of `file` as a task of its sweep (`--job N` follows): the
  /// same for both executors.
  func taskArguments(_ file: URL, outputDirectory: URL) -> [String] {
    ["run", file.standardizedFileURL.path, "--sweep-task", "--quiet"]
      + ScenarioInvocation.passedOn(
        settings: settings, dataDir: data.dataDir, outputDirectory: outputDirectory,
        tensorBoard: !noTensorBoard)
  }

  /// Several runs as separate processes here, `--jobs` at a time (default: as many as the cores
  /// hold, at the kind's CPUs each).
  func sweep(_ scenario: Scenario, file: URL, runs: [Scenario.Run]) throws {
    let cpus = runs.map { type(of: $0.job).cpus }.max() ?? 1
    let parallel = min(jobs ?? Self.defaultJobs(cpus: cpus), runs.count)
    print("\(Self.headline(scenario, runs: runs)), \(parallel) at a time")
    var runner = SweepRunner(scenario: scenario, runs: runs, parallel: parallel) { run in
      (
        Self.binary,
        taskArguments(file, outputDirectory: scenario.outputDirectory) + [
          "--job", String(run.index),
        ]
      )
    }
    runner.environment = Self.taskEnvironment(cpus: cpus)
    try report(
      runner.run(), of: runs, records: SweepRecords(scenario: scenario, runs: runs), file: file)
  }

  /// How many runs of `cpus` CPUs each the machine's cores hold at once.
  static func defaultJobs(cpus: Int) -> Int {
    max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, cpus))
  }

  /// The environment of a sweep's or study's processes here: each run's backend gets the kind's
  /// CPUs (`PLAYGROUND_THREADS`, recorded as its `threads`) unless the user chose, as a Slurm
  /// task does, so that `--jobs` and the executor leave its bytes alone.
  static func taskEnvironment(cpus: Int) -> [String: String] {
    guard ProcessInfo.processInfo.environment["PLAYGROUND_THREADS"] == nil else { return [:] }
    return ["PLAYGROUND_THREADS": String(cpus)]
  }

  /// Several runs as one Slurm job array.
  func sweepOnSlurm(_ scenario: Scenario, file: URL, runs: [Scenario.Run]) throws {
    let records = SweepRecords(scenario: scenario, runs: runs)
    let cpus = runs.map { type(of: $0.job).cpus }.max() ?? 1
    var executor = SlurmSweep(
      records: records, request: slurm.request(cpusPerTask: cpus),
      command: [Self.binary.path] + taskArguments(file, outputDirectory: scenario.outputDirectory))
    if let interval = ProcessInfo.processInfo.environment["PLAYGROUND_SLURM_POLL"].flatMap(
      Double.init)
    {
      executor.pollInterval = interval
    }
    let mode: SlurmSweep.Mode = slurm.printScript ? .printScript : slurm.detach ? .detach : .follow
    if mode != .printScript {
      print("\(Self.headline(scenario, runs: runs)) on Slurm")
    }
    let line = StatusLine()
    let outcome = try executor.run(
      mode, say: { print($0) }, progress: { line.show($0.description) })
    line.end()
    if let outcome { try report(outcome, of: runs, records: records, file: file) }
  }

  /// `cartpole-seeds: 5 runs (5 seeds × 1 setting)`.
  static func headline(_ scenario: Scenario, runs: [Scenario.Run]) -> String {
    let settings = runs.count / max(1, scenario.seeds.count)
    return
      "\(scenario.name): \(counted(runs.count, "run")) (\(counted(scenario.seeds.count, "seed")) × \(counted(settings, "setting")))"
  }

  /// Prints what became of a sweep; a sweep with interrupted or failed runs ends in an error
  /// that says how to finish it.
  func report(
    _ outcome: SweepRunner.Outcome, of runs: [Scenario.Run], records: SweepRecords, file: URL
  ) throws {
    print(
      "\(outcome.finished) finished, \(outcome.skipped) done before, \(outcome.failed.count) failed, \(outcome.interrupted) interrupted\(outcome.notStarted > 0 ? ", \(outcome.notStarted) not started" : "")\(outcome.diverged > 0 ? ", \(outcome.diverged) diverged (kept: see sweep.csv)" : "") — \(records.url.path)/sweep.csv"
    )
    if let (run, message) = outcome.failed.first {
      let log = SweepTask(records: records, run: run).logURL.path
      throw RunError(
        "\(outcome.failed.count) of \(runs.count) runs failed; job \(run.index) (\(run.label)): \(message) — log \(log); re-run it alone with: playground run \(file.path) --job \(run.index)"
      )
    }
    // Interrupted while runs waited, even if those in progress finished: not done, exit 130.
    if outcome.interrupted > 0 || outcome.notStarted > 0 {
      throw RunInterrupted(
        "sweep interrupted: run the same command again to finish the \(runs.count - outcome.finished - outcome.skipped) runs left"
      )
    }
  }
}

/// One line that shows where something stands: rewritten in place on a terminal, printed
/// again only when it changes otherwise (a log file, a pipe).
final class StatusLine {
  private var last: String?
  private let isTerminal = isatty(STDOUT_FILENO) == 1

  func show(_ line: String) {
    guard line != last else { return }
    last = line
    if isTerminal {
      print("\r\u{1B}[K" + line, terminator: "")
      fflush(nil)
    } else {
      print(line)
    }
  }

  /// Ends the line on a terminal.
  func end() {
    if isTerminal, last != nil { print("") }
  }
}

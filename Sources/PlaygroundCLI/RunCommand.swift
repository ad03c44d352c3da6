import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios

/// `playground run FILE.yaml`: a scenario — one run, several seeds, or a sweep.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scenario file: one run, several seeds, or a sweep over settings.",
    discussion: """
      A scenario names the kind (classify, rl, gan), the data set or environment, the agent or model, overrides of any setting, the budget, seeds and a sweep. Everything is checked before anything runs; every problem is listed with its line. One run trains here; several run as separate processes, --jobs at a time, each in its own run folder, with <output_dir>/<name>/sweep/sweep.csv and sweep.png (mean ± std of the learning curves per setting). Running the same file again redoes only runs that did not finish; --job N re-runs one alone.

      Examples:
        playground run scenarios/rl-cartpole.yaml
        playground run rl-cartpole                    # a built-in scenario by name (playground list)
        playground run scenarios/cartpole-seeds.yaml --jobs 2
        playground run scenarios/frozenlake-learning-rates.yaml --set episodes=2000
        playground run scenarios/frozenlake-learning-rates.yaml --job 3
      """)

  @Argument(help: "A scenario .yaml, or the name of a built-in scenario.")
  var scenario: String

  @Option(help: "Runs at a time for several runs (default: the number of cores).")
  var jobs: Int?

  @Option(help: "Run only run N of the scenario (see the sweep's state.json or sweep.csv).")
  var job: Int?

  @Option(
    name: .customLong("set"),
    help: "Override a setting after the file's, KEY=VALUE (repeatable), e.g. --set episodes=500.")
  var settings: [String] = []

  @Option(help: "The folder that receives <name>/<run-id>/ (default: the scenario's output_dir).")
  var outputDir: String?

  @Flag(help: "Print only the final lines.")
  var quiet = false

  @Option(help: .hidden)
  var record: String?

  @Option(help: .hidden)
  var resume: String?

  @OptionGroup var data: DataOptions

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
  }

  func run() throws {
    guard let file = ScenarioCatalog.scenario(scenario) else {
      throw RunError(
        "no scenario file \(scenario): pass a .yaml path or a built-in name (see 'playground list')"
      )
    }
    var scenario = try ScenarioFile.read(file, settings: settings)
    if let outputDir { scenario.outputDirectory = URL(fileURLWithPath: outputDir) }
    let runs = try scenario.runs()
    let sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    if let job {
      if record != nil { Self.stopWithTheSweep() }
      guard runs.indices.contains(job) else {
        throw RunError("--job \(job): \(file.lastPathComponent) has runs 0–\(runs.count - 1)")
      }
      let folder: URL
      let context = RunContext(
        scenario: scenario.name, outputDirectory: scenario.outputDirectory, sources: sources,
        quiet: quiet)
      do {
        if let resume, let resumable = type(of: runs[job].job) as? any ResumableRunJob.Type {
          // An interrupted run of a sweep continues where it stopped.
          folder = try resumable.resume(URL(fileURLWithPath: resume), in: context)
        } else {
          folder = try runs[job].job.run(in: context)
        }
      } catch let interrupted as RunInterrupted {
        if let record, let saved = interrupted.folder {
          try? Data(saved.path.utf8).write(to: URL(fileURLWithPath: record))
        }
        throw interrupted
      }
      if let record {
        // One process of a sweep: the parent keeps the sweep's records.
        try Data(folder.path.utf8).write(to: URL(fileURLWithPath: record))
      } else if runs.count > 1 {
        // Re-run alone: the sweep's state and aggregates learn of it.
        try SweepRecords(scenario: scenario, runs: runs).record(runs[job], finishedIn: folder)
      }
      return
    }
    if runs.count == 1 {
      _ = try runs[0].job.run(
        in: RunContext(
          scenario: scenario.name, outputDirectory: scenario.outputDirectory, sources: sources,
          quiet: quiet))
      return
    }
    try sweep(scenario, file: file, runs: runs)
  }

  /// Several runs as separate processes.
  func sweep(_ scenario: Scenario, file: URL, runs: [Scenario.Run]) throws {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let parallel = min(jobs ?? cores, runs.count)
    print(
      "\(scenario.name): \(runs.count) runs (\(scenario.seeds.count) seeds × \(runs.count / scenario.seeds.count) settings), \(parallel) at a time"
    )
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var runner = SweepRunner(scenario: scenario, runs: runs, parallel: parallel) {
      run, record, resume in
      var arguments = [
        "run", file.path, "--job", String(run.index), "--record", record.path, "--quiet",
        "--output-dir", scenario.outputDirectory.path,
      ]
      if let resume { arguments += ["--resume", resume.path] }
      for setting in settings { arguments += ["--set", setting] }
      if let dataDir = data.dataDir { arguments += ["--data-dir", dataDir] }
      return (binary, arguments)
    }
    // Share the cores: each run's OpenBLAS gets its part unless the user chose.
    if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
      runner.environment["OPENBLAS_NUM_THREADS"] = String(max(1, cores / parallel))
    }
    let outcome = try runner.run()
    print(
      "\(outcome.finished) finished, \(outcome.skipped) done before, \(outcome.failed.count) failed, \(outcome.interrupted) interrupted — \(runner.sweepFolder.path)/sweep.csv"
    )
    if outcome.interrupted > 0 {
      throw RunInterrupted(
        "sweep interrupted: run the same command again to finish the \(runs.count - outcome.finished - outcome.skipped) runs left"
      )
    }
    if let (run, message) = outcome.failed.first {
      throw RunError(
        "\(outcome.failed.count) of \(runs.count) runs failed; job \(run.index) (\(run.label)): \(message) — re-run one alone with: playground run \(file.path) --job \(run.index)"
      )
    }
  }

  /// A sweep's run ends like the sweep (SIGTERM: saved if it can be, removed otherwise) when
  /// the sweep's process is gone, instead of finishing unrecorded.
  static func stopWithTheSweep() {
    let parent = getppid()
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + 1, repeating: 1)
    timer.setEventHandler {
      if getppid() != parent { kill(getpid(), SIGTERM) }
    }
    timer.resume()
    watcher = timer
  }

  nonisolated(unsafe) static var watcher: DispatchSourceTimer?
}

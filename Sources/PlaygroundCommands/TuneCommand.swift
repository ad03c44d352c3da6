import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundRuns
import PlaygroundScenarios

/// `playground tune FILE.yaml`: a tuning study over a scenario's `search:` section.
struct TuneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune",
    abstract: "Search a scenario's settings for the best objective, pruning hopeless trials.",
    discussion: """
      The scenario's search: section names the settings to vary and their ranges ({log_uniform: [low, high]}, {uniform: …}, {int: [low, high], log: true}, {choice: [a, b]}); objective: names the figure to optimise ({metric: test_accuracy}); trials:, sampler: (tpe or random) and pruner: (asha, median or none) say how. Each trial is one run of the scenario's job with the trial's settings, in its own process, its run folder under <output_dir>/<name>/ as usual; the pruner stops trials whose intermediate figures (eval.csv, metrics.csv) fall behind the others'.

      Results go to <output_dir>/<name>/tune/: trials.csv (one row per trial), best.yaml (the best settings as an agents file: use it as a scenario's agent:), tune.png, one log and one record per trial. Running the same command again continues an interrupted study; a larger --trials extends it. With --executor slurm each trial is a Slurm job (tune/slurm/trial-NNN.sh) and the output folder must be one every node sees.

      Examples:
        playground tune scenarios/tune-cartpole-dqn.yaml
        playground tune scenarios/tune-classifier.yaml --trials 12 --jobs 2
        playground tune scenarios/tune-frozenlake.yaml --executor slurm --max-concurrent 4
      """)

  @Argument(help: "A scenario .yaml with a search: section, or a built-in one's name.")
  var scenario: String

  @Option(help: "Trials the study should have (default: the file's trials:).")
  var trials: Int?

  @Option(help: "Trials at a time (default: as many as the cores hold at the kind's CPUs each).")
  var jobs: Int?

  @Option(
    name: .customLong("set"),
    help: "Override a setting after the file's, KEY=VALUE (repeatable); not a searched one.")
  var settings: [String] = []

  @Option(help: "The folder that receives <name>/ (default: the scenario's output_dir).")
  var outputDir: String?

  @Flag(help: "Print only the final lines.")
  var quiet = false

  @Flag(
    name: .customLong("no-tensorboard"),
    help: "Write no TensorBoard event files (as the scenario's tensorboard: false).")
  var noTensorBoard = false

  @Option(help: "Where the trials run: local (processes here) or slurm (one job each).")
  var executor: RunCommand.Executor = .local

  @OptionGroup(title: "With --executor slurm") var slurm: SlurmOptions

  /// Run trial N here, as a process of the study (its record is written by the study).
  @Option(help: .hidden)
  var trial: Int?

  @OptionGroup var data: DataOptions

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    if let trials, !(1...ScenarioFile.maximumTrials).contains(trials) {
      throw ValidationError(
        "--trials must be from 1 to \(ScenarioFile.maximumTrials) (as the file's trials:), got \(trials)"
      )
    }
    if executor == .local, let option = slurm.givenOption {
      throw ValidationError("\(option) is for --executor slurm")
    }
    if slurm.printScript || slurm.detach {
      throw ValidationError(
        "\(slurm.printScript ? "--print-script" : "--detach") is for sweeps: a study samples each trial from the ones before, so it follows its trials"
      )
    }
    if let problem = slurm.request(cpusPerTask: 1).problems().first {
      throw ValidationError(problem)
    }
  }

  func run() throws {
    let (file, scenario) = try ScenarioInvocation.read(
      scenario, settings: settings, outputDir: outputDir, noTensorBoard: noTensorBoard)
    guard let study = scenario.study else {
      throw RunError(
        "\(file.path) has no search: section: add one (e.g. search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}} with objective: {metric: …}), or run it with playground run"
      )
    }
    let records = StudyRecords(scenario: scenario, study: study)
    let sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    if let trial {
      try runTrial(trial, records: records, sources: sources)
      return
    }
    let total = trials ?? study.trials
    let launcher = try makeLauncher(records, file: file, total: total)
    let parallel =
      executor == .slurm
      ? (slurm.maxConcurrent ?? total)
      : min(jobs ?? RunCommand.defaultJobs(cpus: type(of: scenario.job).cpus), total)
    print(
      "\(scenario.name): \(total) trials of \(study.sampler.rawValue) search over \(study.space.parameters.map(\.name).joined(separator: ", ")) for \(study.goal.rawValue == "maximize" ? "the largest" : "the smallest") \(study.objective.name), pruner \(study.pruner.name), \(parallel) at a time\(executor == .slurm ? " on Slurm" : "")"
    )
    let runner = StudyRunner(
      records: records, trials: total, parallel: parallel, launcher: launcher)
    let outcome = try runner.run(print: { if !quiet { print($0) } })
    try StudyReport(records: records, trials: outcome.trials).print(quiet: quiet)
    if outcome.interrupted {
      throw RunInterrupted(
        "study interrupted: run the same command again to continue it (\(outcome.count(.complete) + outcome.count(.pruned) + outcome.count(.failed)) of \(total) trials done)"
      )
    }
  }

  /// The launcher of the chosen executor.
  func makeLauncher(_ records: StudyRecords, file: URL, total: Int) throws -> any TrialLauncher {
    let arguments =
      ["tune", file.standardizedFileURL.path, "--quiet"]
      + ScenarioInvocation.passedOn(
        settings: settings, dataDir: data.dataDir,
        outputDirectory: records.scenario.outputDirectory,
        tensorBoard: records.scenario.tensorBoard)
    switch executor {
    case .local:
      let environment = RunCommand.taskEnvironment(cpus: type(of: records.scenario.job).cpus)
      return LocalTrialLauncher(records: records, environment: environment) { number in
        (RunCommand.binary, arguments + ["--trial", String(number)])
      }
    case .slurm:
      try SlurmClient().checkInstalled()
      let launcher = SlurmTrialLauncher(
        records: records, request: slurm.request(cpusPerTask: type(of: records.scenario.job).cpus),
        command: [RunCommand.binary.path] + arguments)
      if let interval = ProcessInfo.processInfo.environment["PLAYGROUND_SLURM_POLL"].flatMap(
        Double.init)
      {
        launcher.pollInterval = interval
      }
      return launcher
    }
  }

  /// One trial in this process, as its study started it.
  func runTrial(_ number: Int, records: StudyRecords, sources: DataSources) throws {
    let task = TrialTask(records: records, number: number)
    _ = try task.record()
    RunCommand.stopWithTheSweep()
    InterruptHandler.beforeExit = { task.markInterrupted() }
    try task.run(sources: sources)
  }
}

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
      A scenario names the kind (classify, rl, gan, text), the data set or environment, the agent or model, overrides of any setting, the budget, seeds and a sweep. Everything is checked before anything runs; every problem is listed with its line. One run trains here; several run as separate processes, --jobs at a time, each in its own run folder, with <output_dir>/<name>/sweep/sweep.csv and sweep.png (mean ± std of the learning curves per setting). Running the same file again redoes only runs that did not finish; --job N re-runs one alone. With compare: (a list of jobs, each with its own kind, data set or environment, agent and overrides) jobs of different kinds run side by side with the same budget and seeds, as a sweep whose setting is compare, and sweep.png shows each one's picture (a generator's last sheet) with its figures. With batched: true (seeds only, a kind that can: rl cartpole with DQN) the seeds train at once in this process instead, with <output_dir>/<name>/batch/.

      With --executor slurm the runs go to a Slurm cluster as one job array (<name>/sweep/slurm.sh, task i = --job i), followed until they end and collected as above; the output folder must be one every node sees. Ctrl-C detaches (the runs go on); running the same command again follows or collects, and resubmits only the runs that did not finish.

      Examples:
        playground run scenarios/rl-cartpole.yaml
        playground run rl-cartpole                    # a built-in scenario by name (playground list)
        playground run scenarios/cartpole-seeds.yaml --jobs 2
        playground run scenarios/frozenlake-learning-rates.yaml --set episodes=2000
        playground run scenarios/frozenlake-learning-rates.yaml --job 3
        playground run scenarios/gan-beside-flow.yaml  # the GAN and the flow model, 5 minutes each
        playground run scenarios/cartpole-seeds.yaml --executor slurm --partition cpu --time 30
        playground run scenarios/cartpole-seeds.yaml --executor slurm --print-script
        playground run outputs/gan-mnist/latest/config.yaml    # a run again, alone
      """)

  @Argument(
    help: "A scenario .yaml, the name of a built-in scenario, or a run's config.yaml (rerun alone)."
  )
  var scenario: String

  @Option(
    help:
      "Runs at a time for several runs (default: as many as the cores hold at the kind's CPUs each)."
  )
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

  @Flag(
    name: .customLong("no-tensorboard"),
    help: "Write no TensorBoard event files (as the scenario's tensorboard: false).")
  var noTensorBoard = false

  @Option(help: "Where the runs of several go: local (processes here) or slurm (a job array).")
  var executor: Executor = .local

  @OptionGroup(title: "With --executor slurm") var slurm: SlurmOptions

  /// Run --job N as one task of the sweep: report to the sweep, resume an interrupted run.
  @Flag(help: .hidden)
  var sweepTask = false

  @OptionGroup var data: DataOptions

  /// Where a sweep's runs run.
  enum Executor: String, ExpressibleByArgument, CaseIterable {
    case local, slurm
  }

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    if sweepTask, job == nil { throw ValidationError("--sweep-task needs --job N") }
    if executor == .local, let option = slurm.givenOption {
      throw ValidationError("\(option) is for --executor slurm")
    }
    if executor == .slurm, jobs != nil {
      throw ValidationError("--jobs is for --executor local; with slurm use --max-concurrent")
    }
    if let problem = slurm.request(cpusPerTask: 1).problems().first {
      throw ValidationError(problem)
    }
  }

  func run() throws {
    if try runConfigIfGiven() { return }
    let (file, scenario) = try ScenarioInvocation.read(
      scenario, settings: settings, outputDir: outputDir, noTensorBoard: noTensorBoard)
    if scenario.study != nil {
      throw RunError(
        "\(file.path) is a tuning study (it has a search: section): run it with playground tune \(file.path)"
      )
    }
    let sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    if scenario.batched {
      try runBatch(scenario, sources: sources)
      return
    }
    let runs = try scenario.runs()
    if let job {
      try runAlone(job, of: runs, scenario: scenario, file: file, sources: sources)
      return
    }
    if runs.count == 1, executor == .local {
      var context = RunContext(
        scenario: scenario.name, outputDirectory: scenario.outputDirectory, sources: sources,
        quiet: quiet)
      context.tensorBoard = scenario.tensorBoard
      _ = try runs[0].job.run(in: context)
      return
    }
    switch executor {
    case .local: try sweep(scenario, file: file, runs: runs)
    case .slurm: try sweepOnSlurm(scenario, file: file, runs: runs)
    }
  }

  /// `batched: true`: the scenario's seeds trained at once in this process.
  private func runBatch(_ scenario: Scenario, sources: DataSources) throws {
    guard executor == .local, job == nil else {
      throw ValidationError(
        "a batched scenario trains its seeds in this one process: drop --executor slurm and --job")
    }
    guard let batched = scenario.job as? any BatchedSeedsRun else {
      throw RunError("this kind cannot train seeds at once")
    }
    var context = RunContext(
      scenario: scenario.name, outputDirectory: scenario.outputDirectory, sources: sources,
      quiet: quiet)
    context.tensorBoard = scenario.tensorBoard
    try SeedBatchSummary.train(batched, seeds: scenario.seeds, in: context)
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundData
import Yams

/// One kind of run with every setting decided: what a scenario file resolves to (one per seed
/// and swept setting) and what a command builds from its flags. A kind declares its settings,
/// how it trains into a run folder, and how its results are read back (``presentation``); the
/// registry (`RunKinds` in PlaygroundKinds) lists the kinds, and `playground run`, sweeps,
/// `inspect` and `report.html` then work for it with no code of their own.
public protocol RunJob: Sendable {
  /// The registry's name of the kind, e.g. `classify`, `gridworld`, `cartpole-dqn`.
  static var kind: String { get }
  /// The keys that `overrides:`, `sweep:` and `--set` may set: those of the kind's settings.
  static var settingKeys: [String] { get }
  /// The keys `budget:` takes, each with the setting it sets (e.g. `steps` → `total_steps`).
  static var budgetKeys: [String: String] { get }
  /// The learning curve and headline figures of this kind's runs.
  static var presentation: RunPresentation { get }
  /// The CPUs a run of this kind puts to use (its matrix products' OpenBLAS threads): what a
  /// Slurm task asks for unless told otherwise. 1 unless a kind says more.
  static var cpus: Int { get }
  /// The figures of its runs that tuning may optimise (`summary.json` keys), each with the
  /// direction that is better and the figure its runs report while they train.
  static var objectives: [RunObjective] { get }

  /// The settings as a run folder's `config.yaml` holds them (``configYAML()``), read back.
  init(configAt url: URL) throws

  /// The output folder a run uses when no scenario names another, e.g. `classify-mnist`.
  var defaultName: String { get }
  /// The seed of every random choice of the run.
  var seed: UInt64 { get set }
  /// These settings with the keys of `settings` replaced, read strictly (unknown keys and wrong
  /// types are ``PlaygroundConfig/ConfigError``s with their line) and validated.
  /// - Parameter source: the file the mapping comes from, for messages.
  func applying(_ settings: Node.Mapping, source: String) throws -> Self
  /// Checks every setting (ranges and combinations).
  func validate() throws
  /// The text of the run's `config.yaml`: what identifies the job.
  func configYAML() throws -> String
  /// The settings that `overrides:` change as a YAML file of their own (the form of
  /// `agents/<name>.yaml`, which a scenario's `agent:` accepts); ``configYAML()`` by default.
  func settingsYAML() throws -> String
  /// Trains, writing `<outputDirectory>/<scenario>/<run-id>/`.
  /// - Returns: the finished run folder.
  func run(in context: RunContext) throws -> URL
}

extension RunJob {
  public static var cpus: Int { 1 }
  public static var objectives: [RunObjective] { [] }
  public func settingsYAML() throws -> String { try configYAML() }

  /// The same job with another seed.
  public func seeded(_ seed: UInt64) -> Self {
    var job = self
    job.seed = seed
    return job
  }
}

/// A kind whose runs, stopped by Ctrl-C or a time limit, save what they need and continue
/// exactly where they stopped.
public protocol ResumableRunJob: RunJob {
  /// Continues the interrupted run in `folder` with its own settings.
  static func resume(_ folder: URL, in context: RunContext) throws -> URL
}

/// Where and how a run runs, handed to ``RunJob/run(in:)`` by a command, a scenario or a sweep.
public struct RunContext {
  /// The folder under ``outputDirectory`` that receives the run (a scenario's name).
  public var scenario: String
  /// Usually `outputs`.
  public var outputDirectory: URL
  /// Where data sets are found.
  public var sources: DataSources
  /// Print only the final lines.
  public var quiet: Bool
  /// Where progress and results go (standard output by default).
  public var say: (String) -> Void
  /// Told the run's intermediate figures as it trains (a tuning trial's pruner listens): the
  /// budget used so far in the kind's unit and the figures by name. Throws ``RunPruned`` to
  /// stop the run.
  public var onReport: ((_ budget: Double, _ figures: [String: Double]) throws -> Void)?
  /// Told the staging folder of each run folder the run makes (``newFolder(for:)``),
  /// so that whoever started the run can remove it if the process is killed.
  public var onNewFolder: ((URL) -> Void)?
  /// Whether runs write TensorBoard's event file (`tensorboard: false`, `--no-tensorboard`).
  public var tensorBoard = true
  /// The settings a sweep or a study varies for this run (`learning_rate` → `0.001`, and its
  /// seed), shown as its HParams session in TensorBoard; `nil` for a run on its own.
  public var hparams: [String: String]?

  /// How the runs' folders write TensorBoard's event file.
  public var tensorBoardLogging: TensorBoardLogging {
    tensorBoard ? .on(session: hparams) : .off
  }

  public init(
    scenario: String, outputDirectory: URL, sources: DataSources, quiet: Bool = false,
    say: @escaping (String) -> Void = { Swift.print($0) }
  ) {
    self.scenario = scenario
    self.outputDirectory = outputDirectory
    self.sources = sources
    self.quiet = quiet
    self.say = say
  }

  /// Tells the listener (``onReport``) the figures after `budget` units (steps, epochs,
  /// episodes). Call it once the run's tables hold them: a ``RunPruned`` it throws ends the run
  /// with its folder kept as it is.
  public func report(budget: Double, _ figures: [String: Double]) throws {
    try onReport?(budget, figures)
  }

  /// Says `line` unless quiet.
  public func progress(_ line: String) { if !quiet { say(line) } }

  /// Writes `warning: <line>` to standard error, quiet or not: a setting that works but does
  /// not mean what its user may think.
  public func warn(_ line: String) {
    FileHandle.standardError.write(Data("warning: \(line)\n".utf8))
  }

  /// A new run folder for `job` in this context: named after its seed, its summary stating its
  /// kind and presentation.
  public func newFolder<Job: RunJob>(for job: Job) throws -> RunFolder {
    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: job.seed,
      presentation: Job.presentation, kind: Job.kind, tensorBoard: tensorBoardLogging)
    onNewFolder?(folder.stagingURL)
    return folder
  }
}

/// A kind whose `overrides:`, `sweep:` and `--set` change one settings struct — the agent's or
/// the model's, whose keys `agents/<name>.yaml` holds — which also holds the seed. It gets
/// ``RunJob/settingKeys``, ``RunJob/seed`` and ``RunJob/applying(_:source:)`` from them.
public protocol SettingsRunJob: RunJob {
  associatedtype Settings: SeededConfig
  /// The settings that overrides change.
  var settings: Settings { get set }
}

extension SettingsRunJob {
  public static var settingKeys: [String] { Settings.settingPaths }

  public var seed: UInt64 {
    get { settings.seed }
    set { settings.seed = newValue }
  }

  public func settingsYAML() throws -> String { try settings.yaml() }

  public func applying(_ mapping: Node.Mapping, source: String) throws -> Self {
    var job = self
    job.settings = try Settings.decode(node: .mapping(mapping), source: source, defaults: settings)
    return job
  }
}

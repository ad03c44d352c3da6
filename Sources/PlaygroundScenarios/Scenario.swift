import Foundation
import PlaygroundConfig
import PlaygroundKinds
import PlaygroundRuns
import Yams

/// What to run and with what: a kind of job with its settings, the seeds, an optional grid of
/// settings to sweep, and where the runs land. Read from YAML by ``ScenarioFile``.
public struct Scenario {
  /// The folder under ``outputDirectory`` that receives the runs (default: the file's name).
  public var name: String
  /// One line for `playground list`.
  public var summary: String
  /// The job with every override and the budget applied (seeded with the first seed).
  public var job: any NamedRunKind
  public var seeds: [UInt64]
  /// Settings to sweep, in file order; every combination runs with every seed.
  public var sweep: [SweepAxis]
  public var outputDirectory: URL
  /// The file it was read from.
  public var source: URL?
  /// The tuning study of its `search:` section, if it has one (`playground tune`).
  public var study: StudySettings?
  /// Whether its runs write TensorBoard's event files (`tensorboard: false` turns them off).
  public var tensorBoard = true
  /// `batched: true`: the seeds train at once in one process (``BatchedSeedsRun``), not as a
  /// sweep of separate runs.
  public var batched = false
  /// `compare:`: jobs of any kinds run side by side with the same budget and seeds, instead of
  /// a sweep of one job's settings; empty for a scenario of one job (then ``job``; else ``job``
  /// is the first compared one).
  public var compared: [ComparedJob] = []

  /// One job of a `compare:` scenario and its label (its setting in `sweep.csv`).
  public struct ComparedJob {
    public var label: String
    public var job: any NamedRunKind

    public init(label: String, job: any NamedRunKind) {
      self.label = label
      self.job = job
    }
  }

  /// The jobs its runs are made of: the compared ones, else the one job.
  public var jobs: [any NamedRunKind] { compared.isEmpty ? [job] : compared.map(\.job) }

  /// The objectives of its jobs' kinds that every one of them has (by name), which its sweep
  /// aggregates with intervals.
  public var objectives: [RunObjective] {
    let kinds = jobs.map { type(of: $0) }
    return type(of: job).objectives.filter { objective in
      kinds.allSatisfy { kind in kind.objectives.contains { $0.name == objective.name } }
    }
  }

  public init(
    name: String, summary: String = "", job: any NamedRunKind, seeds: [UInt64]? = nil,
    sweep: [SweepAxis] = [], outputDirectory: URL = URL(fileURLWithPath: "outputs"),
    source: URL? = nil, study: StudySettings? = nil
  ) {
    self.name = name
    self.summary = summary
    self.job = job
    self.seeds = seeds ?? [job.seed]
    self.sweep = sweep
    self.outputDirectory = outputDirectory
    self.source = source
    self.study = study
  }

  /// One setting and the values it takes in a sweep.
  public struct SweepAxis {
    public var key: String
    /// The values as YAML nodes (with their lines) and as text for labels and `sweep.csv`.
    public var values: [Node]

    public init(key: String, values: [Node]) {
      self.key = key
      self.values = values
    }
  }

  /// One run of a scenario: a combination of swept settings and a seed.
  public struct Run {
    /// Its position in ``runs()``, which `playground run FILE --job N` names.
    public let index: Int
    /// The swept settings as `key → value text`, in file order.
    public let settings: [(key: String, value: String)]
    public let seed: UInt64
    public let job: any NamedRunKind

    /// `learning_rate=0.001 seed=0`.
    public var label: String {
      (settings.map { "\($0.key)=\($0.value)" } + ["seed=\(seed)"]).joined(separator: " ")
    }

    /// The swept settings without the seed, which groups the seeds of one setting.
    public var settingLabel: String {
      settings.isEmpty ? "all" : settings.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
  }

  /// Every combination of swept values (the first axis varying slowest), each with every seed.
  /// - Throws: a ``RunError`` if a value does not fit its setting (``ScenarioFile`` has checked).
  public func runs() throws -> [Run] {
    if !compared.isEmpty { return comparedRuns() }
    var combinations: [[(key: String, node: Node)]] = [[]]
    for axis in sweep {
      combinations = combinations.flatMap { partial in
        axis.values.map { partial + [(axis.key, $0)] }
      }
    }
    var runs: [Run] = []
    let source = self.source?.path ?? name
    for combination in combinations {
      let mapping = Node.Mapping(combination.map { (Node($0.key), $0.node) })
      let configured = try job.applying(mapping, source: source)
      for seed in seeds {
        runs.append(
          Run(
            index: runs.count, settings: combination.map { ($0.key, $0.node.string ?? "?") },
            seed: seed, job: configured.seeded(seed)))
      }
    }
    return runs
  }

  /// Each compared job with every seed, in file order.
  private func comparedRuns() -> [Run] {
    var runs: [Run] = []
    for entry in compared {
      for seed in seeds {
        runs.append(
          Run(
            index: runs.count, settings: [("compare", entry.label)], seed: seed,
            job: entry.job.seeded(seed)))
      }
    }
    return runs
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundFiles
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundTuning
import Yams

/// The files of a study, `<output_dir>/<name>/tune/`: `study.json` (what it searches, to refuse
/// resuming a changed one), `trials/trial-NNN.json` (``TrialRecord``), `logs/trial-NNN.log`, and
/// the aggregates `trials.csv`, `best.yaml`, `tune.png` and `report.html`.
public struct StudyRecords {
  public let scenario: Scenario
  public let study: StudySettings

  public init(scenario: Scenario, study: StudySettings) {
    self.scenario = scenario
    self.study = study
  }

  /// `<output_dir>/<name>/`, where the trials' run folders go.
  public var folder: URL { scenario.outputDirectory.appendingPathComponent(scenario.name) }
  /// `<output_dir>/<name>/tune/`.
  public var url: URL { folder.appendingPathComponent("tune") }
  public var trialsFolder: URL { url.appendingPathComponent("trials") }
  public var logsFolder: URL { url.appendingPathComponent("logs") }

  public func trialURL(_ number: Int) -> URL {
    trialsFolder.appendingPathComponent(String(format: "trial-%03d.json", number))
  }

  public func logURL(_ number: Int) -> URL {
    logsFolder.appendingPathComponent(String(format: "trial-%03d.log", number))
  }

  /// Every trial recorded so far, by number.
  public func trials() -> [TrialRecord] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: trialsFolder.path)) ?? []
    return names.filter { $0.hasPrefix("trial-") && $0.hasSuffix(".json") }.compactMap {
      TrialRecord.read(trialsFolder.appendingPathComponent($0))
    }.sorted { $0.number < $1.number }
  }

  /// What identifies the study: the base settings, the search, the objective, the sampler, the
  /// pruner and the seeds. A study folder made for another is not continued.
  public func fingerprint() throws -> String {
    let space = study.space.parameters.map { "\($0.name): \($0.distribution)" }
    return
      ([try scenario.job.configYAML()] + space + [
        "objective: \(study.objective.name) \(study.goal.rawValue)"
          + (study.overSeeds == .mean ? "" : " over seeds: \(study.overSeeds.rawValue)"),
        "sampler: \(study.sampler.rawValue)", "pruner: \(study.pruner)",
        "seeds: \(scenario.seeds.map(String.init).joined(separator: ", "))",
      ]).joined(separator: "\n")
  }

  /// Creates the folders, or checks that the ones there belong to this study.
  /// - Throws: ``RunError`` when `tune/` holds another study.
  public func prepare() throws {
    let manager = FileManager.default
    let studyURL = url.appendingPathComponent("study.json")
    let print = try fingerprint()
    if let data = try? UserFile.read(
      studyURL, what: "study", maximumBytes: RunFolder.maximumRecordBytes),
      let saved = try? JSONDecoder().decode([String: String].self, from: data)
    {
      guard saved["fingerprint"] == print else {
        throw RunError(
          "\(url.path) holds a study of other settings (search, objective, sampler, pruner or base settings changed): give the scenario another name:, or remove that folder"
        )
      }
    }
    do {
      try manager.createDirectory(at: trialsFolder, withIntermediateDirectories: true)
      try manager.createDirectory(at: logsFolder, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(["fingerprint": print]).write(to: studyURL, options: .atomic)
      try writeExperiment()
    } catch let error as RunError {
      throw error
    } catch {
      throw RunError("cannot write \(url.path): check that --output-dir is a writable folder")
    }
  }

  /// The best complete trial (ties: the earlier).
  public func best(_ trials: [TrialRecord]) -> TrialRecord? {
    trials.filter { $0.state == .complete && $0.value != nil }.min {
      (study.goal.loss($0.value!), $0.number) < (study.goal.loss($1.value!), $1.number)
    }
  }

  /// Writes `trials.csv`, `best.yaml` (when a trial completed), `tune.png` and `report.html`.
  public func writeAggregates(_ trials: [TrialRecord]) throws {
    try Data(csv(trials).utf8).write(
      to: url.appendingPathComponent("trials.csv"), options: .atomic)
    if let best = best(trials) {
      try Data(try bestYAML(best).utf8).write(
        to: url.appendingPathComponent("best.yaml"), options: .atomic)
    }
    if trials.contains(where: { $0.state == .complete || $0.state == .pruned }) {
      try PNG.write(
        StudyPicture(records: self, trials: trials).render(),
        to: url.appendingPathComponent("tune.png"))
    }
    try Data(StudyReport(records: self, trials: trials).html().utf8).write(
      to: url.appendingPathComponent(RunReport.fileName), options: .atomic)
  }

  /// One row per trial: number, state, objective (the mean, median or IQM over the seeds:
  /// `over_seeds`), budget used (all
  /// seeds'), each setting, its run folders (one per seed, space-separated).
  public func csv(_ trials: [TrialRecord]) -> String {
    let names = study.space.parameters.map(\.name)
    let header =
      ["trial", "state", study.objective.name, "budget_\(study.objective.unit)s"] + names + ["runs"]
    var lines = [header.joined(separator: ",")]
    for trial in trials {
      let fields =
        [
          "\(trial.number)", trial.state.rawValue, trial.value.map { "\($0)" } ?? "",
          RunRecord.format(trial.budget),
        ]
        + names.map { CSVField.quote(trial.settings[$0] ?? "") } + [
          trial.runs.joined(separator: " ")
        ]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The best trial's settings as an agents-style file (every key of the kind's settings),
  /// which a scenario's `agent:` accepts.
  public func bestYAML(_ best: TrialRecord) throws -> String {
    let job = try trialJob(best)
    let header = [
      "# The best settings of the study \(scenario.name): trial \(best.number), \(study.objective.name) = \(RunRecord.format(best.value ?? .nan))"
        + confidence(best),
      "# (\(study.sampler.rawValue) sampler, pruner \(study.pruner.name)). Searched: "
        + study.space.parameters.map { "\($0.name) = \(best.settings[$0.name] ?? "?")" }.joined(
          separator: ", ") + ".",
      "# Use it as a scenario's agent: (agent: \(url.appendingPathComponent("best.yaml").path)).",
    ]
    return header.joined(separator: "\n") + "\n" + (try job.settingsYAML())
  }

  /// ` (the IQM over 16 seeds, 95% CI 21,000–30,000)`, or nothing with one seed.
  func confidence(_ trial: TrialRecord) -> String {
    guard let interval = study.interval(overSeeds: trial.seedValues) else { return "" }
    return
      " (the \(study.overSeeds.rawValue) over \(trial.seedValues.count) seeds, 95% CI \(RunRecord.format(interval.low))–\(RunRecord.format(interval.high)))"
  }

  /// The scenario's job with a trial's settings.
  public func trialJob(_ trial: TrialRecord) throws -> any NamedRunKind {
    var entries: [(Node, Node)] = []
    for parameter in study.space.parameters {
      guard let text = trial.settings[parameter.name], let value = try Yams.compose(yaml: text)
      else {
        throw RunError("trial \(trial.number) has no value for \(parameter.name)")
      }
      entries.append((Node(parameter.name), value))
    }
    let source = scenario.source?.path ?? scenario.name
    return try scenario.job.applying(Node.Mapping(entries), source: source)
  }
}

/// Quoting for one CSV field.
enum CSVField {
  static func quote(_ text: String) -> String {
    guard text.contains(where: { ",\"\n".contains($0) }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

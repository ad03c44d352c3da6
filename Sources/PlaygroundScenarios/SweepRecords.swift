import Foundation
import PlaygroundData
import PlaygroundImage
import PlaygroundRuns

/// What a sweep keeps in `<output_dir>/<name>/sweep/`: `state.json` (what became of each run)
/// and the aggregates `sweep.csv` and `sweep.png`. Used by ``SweepRunner`` and when one run is
/// re-run alone (`playground run FILE --job N`).
public struct SweepRecords {
  public let scenario: Scenario
  public let runs: [Scenario.Run]

  public init(scenario: Scenario, runs: [Scenario.Run]) {
    self.scenario = scenario
    self.runs = runs
  }

  /// `<output_dir>/<name>/`, which holds the runs' folders.
  public var folder: URL { scenario.outputDirectory.appendingPathComponent(scenario.name) }
  /// `<output_dir>/<name>/sweep/`.
  public var url: URL { folder.appendingPathComponent("sweep") }
  var stateURL: URL { url.appendingPathComponent("state.json") }
  /// `sweep/tasks/`: each task's report (``SweepTask``).
  public var tasksFolder: URL { url.appendingPathComponent("tasks") }
  /// `sweep/logs/`: what each run printed.
  public var logsFolder: URL { url.appendingPathComponent("logs") }

  public func readState() -> SweepState {
    SweepState.read(stateURL, scenario: scenario.source?.path ?? scenario.name)
  }

  /// The state with the runs whose tasks reported them done (finished, diverged or pruned, with
  /// these settings, their folder in place) but that the state does not hold — the sweep's
  /// process was killed before it read their reports — so that they are not run again.
  func readState(adoptingReports hashes: [Int: String]) -> SweepState {
    var state = readState()
    for run in runs where !state.isDone(run.index, config: hashes[run.index]!, in: folder) {
      guard let report = SweepTask(records: self, run: run).readReport(),
        report.status.isDone, report.config == hashes[run.index], let saved = report.run,
        FileManager.default.fileExists(
          atPath: folder.appendingPathComponent(saved).appendingPathComponent("summary.json").path)
      else { continue }
      state.entries[String(run.index)] = SweepState.Entry(
        label: run.label, config: report.config, status: report.status, run: saved,
        message: report.message)
    }
    return state
  }

  /// SHA-256 of `run`'s `config.yaml` text: what identifies a finished run.
  public static func configHash(_ run: Scenario.Run) throws -> String {
    SHA256.hexDigest(Array(try run.job.configYAML().utf8))
  }

  /// Every run's ``configHash(_:)``, by index.
  func configHashes() throws -> [Int: String] {
    var hashes: [Int: String] = [:]
    for run in runs { hashes[run.index] = try Self.configHash(run) }
    return hashes
  }

  /// The runs that `state` does not hold as done with these settings (`hashes`): what an
  /// executor runs.
  func pendingRuns(_ state: SweepState, hashes: [Int: String]) -> [Scenario.Run] {
    runs.filter { !state.isDone($0.index, config: hashes[$0.index]!, in: folder) }
  }

  /// Records `run`, run alone, as finished in `runFolder`, and writes the aggregates again.
  public func record(_ run: Scenario.Run, finishedIn runFolder: URL) throws {
    var state = readState()
    state.entries[String(run.index)] = SweepState.Entry(
      label: run.label, config: try Self.configHash(run), status: .finished,
      run: runFolder.lastPathComponent)
    try state.write(stateURL)
    try writeAggregates(state)
  }

  /// `sweep.csv` and `sweep.png` from `state`, and the aggregates with their intervals
  /// (`aggregate.json`, `profiles.png`, `curves.png`: ``SweepAggregates``).
  public func writeAggregates(_ state: SweepState) throws {
    let summary = SweepSummary(
      scenario: scenario, runs: runs,
      entries: Dictionary(
        uniqueKeysWithValues: state.entries.compactMap { key, entry in Int(key).map { ($0, entry) }
        }
      ), folder: folder)
    try Data(summary.csv().utf8).write(
      to: url.appendingPathComponent("sweep.csv"), options: .atomic)
    if let chart = summary.chart() {
      try PNG.write(chart, to: url.appendingPathComponent("sweep.png"))
    }
    try writeIntervals(summary)
  }

  private func writeIntervals(_ summary: SweepSummary) throws {
    let aggregates = SweepAggregates(
      objectives: scenario.objectives, records: summary.finishedRecords())
    guard !aggregates.records.isEmpty else { return }
    try aggregates.write(to: url, title: scenario.name.uppercased())
  }
}

import Foundation
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns

/// The summary of seeds trained together in one process (``BatchedSeedsRun``), in
/// `<output_dir>/<scenario>/batch/`: `summary.json` (the seeds, their run folders, the wall
/// time), and the aggregates of a sweep over them (``SweepAggregates``: `aggregate.json`,
/// `profiles.png`, `curves.png`).
public struct SeedBatchSummary {
  public let objectives: [RunObjective]
  public let seeds: [UInt64]
  public let runs: [URL]
  public let seconds: Double

  public init(objectives: [RunObjective], seeds: [UInt64], runs: [URL], seconds: Double) {
    self.objectives = objectives
    self.seeds = seeds
    self.runs = runs
    self.seconds = seconds
  }

  /// Trains `seeds` of `job` at once (``BatchedSeedsRun/runSeeds(_:in:)``) and writes the
  /// batch's summary to `<output_dir>/<scenario>/batch/`; returns that folder.
  @discardableResult
  public static func train(_ job: any BatchedSeedsRun, seeds: [UInt64], in context: RunContext)
    throws -> URL
  {
    let started = Date()
    let runs = try job.runSeeds(seeds, in: context)
    let folder = context.outputDirectory.appendingPathComponent(context.scenario)
      .appendingPathComponent("batch")
    try SeedBatchSummary(
      objectives: type(of: job).objectives, seeds: seeds, runs: runs,
      seconds: Date().timeIntervalSince(started)
    ).write(to: folder, title: context.scenario.uppercased())
    context.say(
      "\(seeds.count) seeds in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; aggregates in \(folder.path)"
    )
    return folder
  }

  /// Writes the files into `folder` (created if needed, replacing an earlier batch's).
  public func write(to folder: URL, title: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let label = "seeds \(seeds.first!)–\(seeds.last!)"
    let records = runs.compactMap { url in
      (try? RunRecord(url, known: RunKinds.presentations)).map { (label, $0) }
    }
    let json = try SweepAggregates(objectives: objectives, records: records)
      .write(to: folder, title: title)
    let summary: [String: Any] = [
      "seeds": seeds.map { Int($0) }, "runs": runs.map(\.lastPathComponent),
      "wall_seconds": seconds, "aggregates": json["objectives"] ?? [:],
    ]
    try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
      .write(to: folder.appendingPathComponent("summary.json"), options: .atomic)
  }
}

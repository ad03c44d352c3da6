import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundTuning

/// One trial of a study, run in its own process (`playground tune FILE --trial N`, on either
/// executor): the scenario's job with the trial's settings, once per seed of the scenario (in
/// order; the objective is their mean), the first seed's intermediate figures reported to the
/// pruner as they come, and its outcome written into its ``TrialRecord``. With `batched: true`
/// the seeds train at once (``PlaygroundKinds/BatchedSeedsRun``), unpruned.
public struct TrialTask {
  public let records: StudyRecords
  public let number: Int

  public init(records: StudyRecords, number: Int) {
    self.records = records
    self.number = number
  }

  var url: URL { records.trialURL(number) }
  var study: StudySettings { records.study }

  /// The trial's record, as its coordinator wrote it.
  /// - Throws: ``RunError`` when there is none.
  public func record() throws -> TrialRecord {
    guard let record = TrialRecord.read(url) else {
      throw RunError(
        "\(url.path) does not exist: a trial runs as part of its study — run playground tune without --trial"
      )
    }
    return record
  }

  /// Marks the trial interrupted (a signal ended its process).
  public func markInterrupted() {
    guard var record = try? record(), record.state == .running else { return }
    record.state = .interrupted
    record.message = "stopped by a signal"
    try? record.write(url)
  }

  /// Runs the trial and records its outcome.
  /// - Returns: the record at the end.
  /// - Throws: the run's error when it failed (recorded first); a pruned or diverged trial is a
  ///   result, not an error.
  @discardableResult
  public func run(sources: DataSources, say: @escaping (String) -> Void = { Swift.print($0) })
    throws -> TrialRecord
  {
    var record = try record()
    record.state = .running
    record.reports = []
    record.rungs = [:]
    record.budget = 0
    record.value = nil
    record.message = nil
    record.runs = []
    record.seedValues = []
    try record.write(url)
    let job = try records.trialJob(record)
    let shared = Shared(record)
    say("trial \(number): \(study.describe(record))")
    do {
      if records.scenario.batched, let batched = job as? any BatchedSeedsRun {
        try runBatch(batched, sources: sources, into: shared)
      } else {
        try runOneByOne(job, sources: sources, say: say, into: shared)
      }
      record = shared.record
      record.value = study.value(overSeeds: record.seedValues)
      record.state = .complete
    } catch let pruned as RunPruned {
      record = shared.record
      record.state = .pruned
      record.runs += pruned.folder.map { [$0.lastPathComponent] } ?? []
      record.message = pruned.description
    } catch let diverged as RunDiverged {
      // A result: ranked last, as a run that never recorded its objective.
      record = shared.record
      record.state = .complete
      record.runs.append(diverged.folder.lastPathComponent)
      record.seedValues.append(nil)
      record.value = nil
      record.message = diverged.description
    } catch let interrupted as RunInterrupted {
      record = shared.record
      record.state = .interrupted
      record.message = interrupted.description
      try record.write(url)
      throw interrupted
    } catch {
      record = shared.record
      // Ctrl-C or a signal removing the run under it ends a trial in whatever error; it was
      // stopped, not failed.
      record.state = Interruption.isRequested ? .interrupted : .failed
      record.message = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init)
      try record.write(url)
      throw error
    }
    record.staging = nil
    try record.write(url)
    say(
      "trial \(number): \(record.state.rawValue)\(record.value.map { ", \(study.objective.name) \(RunRecord.format($0))" } ?? "")"
    )
    return record
  }

  /// The seeds one after the other. The pruner watches the first seed's run, which every trial
  /// runs alike; the others run to their end (a run that solved early would otherwise be judged
  /// on the next seed's first steps). The budget counts every run's.
  private func runOneByOne(
    _ job: any NamedRunKind, sources: DataSources, say: @escaping (String) -> Void,
    into shared: Shared
  ) throws {
    let pruner = study.makePruner()
    for (index, seed) in records.scenario.seeds.enumerated() {
      let offset = shared.record.budget
      var context = RunContext(
        scenario: records.scenario.name, outputDirectory: records.scenario.outputDirectory,
        sources: sources, quiet: true, say: say)
      context.tensorBoard = records.scenario.tensorBoard
      // One session of the study in TensorBoard's HParams dashboard.
      context.hparams = shared.record.settings.merging(["seed": String(seed)]) { $1 }
      context.onNewFolder = { staging in
        shared.record.staging = staging.path
        try? shared.record.write(url)
      }
      context.onReport = { budget, figures in
        if index == 0 {
          try report(budget: budget, figures: figures, pruner: pruner, into: shared)
        } else {
          shared.record.budget = offset + budget
          try shared.record.write(url)
        }
      }
      let folder = try job.seeded(seed).run(in: context)
      shared.record.runs.append(folder.lastPathComponent)
      shared.record.seedValues.append(objectiveValue(in: folder))
      try shared.record.write(url)
    }
  }

  /// `batched: true`: the trial's seeds trained at once in this process (their HParams sessions
  /// with the trial's settings), each seed's objective from its folder, and the budget the
  /// seeds used (each summary's count of the objective's unit, e.g. `episodes`) as the
  /// unbatched trial counts it from their reports.
  private func runBatch(_ job: any BatchedSeedsRun, sources: DataSources, into shared: Shared)
    throws
  {
    var context = RunContext(
      scenario: records.scenario.name, outputDirectory: records.scenario.outputDirectory,
      sources: sources, quiet: true, say: { _ in })
    context.tensorBoard = records.scenario.tensorBoard
    context.hparams = shared.record.settings
    let folders = try job.runSeeds(records.scenario.seeds, in: context)
    for folder in folders {
      shared.record.runs.append(folder.lastPathComponent)
      shared.record.seedValues.append(objectiveValue(in: folder))
      let summary = try? Summary.read(folder.appendingPathComponent("summary.json"))
      shared.record.budget +=
        (summary?["\(study.objective.unit)s"] as? NSNumber)?.doubleValue ?? 0
    }
    try shared.record.write(url)
  }

  /// Records a report and asks the pruner; throws ``RunPruned`` when it says stop.
  private func report(
    budget: Double, figures: [String: Double], pruner: any Pruner, into shared: Shared
  ) throws {
    shared.record.budget = budget
    guard let progress = study.objective.progress, let goal = study.progressGoal,
      let value = figures[progress.name]
    else {
      try shared.record.write(url)
      return
    }
    shared.record.reports.append(.init(budget: budget, value: value))
    var mine = shared.record.progress
    let others = records.trials().filter { $0.number != number }.map(\.progress)
    // A figure that is not a number is the worst there is.
    let stop = !value.isFinite || pruner.shouldPrune(&mine, others: others, goal: goal)
    shared.record.rungs = Dictionary(
      uniqueKeysWithValues: mine.rungs.map { (String($0.key), $0.value) })
    try shared.record.write(url)
    if stop {
      throw RunPruned(
        "pruned after \(RunRecord.format(budget)) \(study.objective.unit)s: \(progress.name) \(RunRecord.format(value)) is behind the other trials'"
      )
    }
  }

  /// The objective from the run's summary, or its fallback's value.
  func objectiveValue(in folder: URL) -> Double? {
    guard let summary = try? Summary.read(folder.appendingPathComponent("summary.json")) else {
      return nil
    }
    return study.objective.value(in: summary)
  }

  /// The record as the report closure updates it.
  private final class Shared: @unchecked Sendable {
    var record: TrialRecord
    init(_ record: TrialRecord) { self.record = record }
  }
}

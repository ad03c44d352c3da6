import Foundation
import PlaygroundConfig
import PlaygroundRuns
import PlaygroundTuning

/// Runs a study: samples each trial's settings from the trials before (with the study's
/// sampler, seeded by the scenario's seed), starts it on a ``TrialLauncher``, `parallel` at a
/// time, and records what became of it; at the end (or on Ctrl-C) writes `trials.csv`,
/// `best.yaml` and `tune.png`. Trials recorded before are kept: an interrupted study continues
/// (its unfinished trials again, with the same settings), and more trials extend it.
public struct StudyRunner {
  public let records: StudyRecords
  /// The trials the study should have when done (finished ones included).
  public var trials: Int
  public var parallel: Int
  public let launcher: any TrialLauncher

  public init(records: StudyRecords, trials: Int, parallel: Int, launcher: any TrialLauncher) {
    self.records = records
    self.trials = trials
    self.parallel = max(1, parallel)
    self.launcher = launcher
  }

  var study: StudySettings { records.study }

  /// What became of the study.
  public struct Outcome {
    public var trials: [TrialRecord] = []
    /// Trials done before this invocation.
    public var before = 0
    public var interrupted = false

    public func count(_ state: TrialRecord.State) -> Int {
      trials.filter { $0.state == state }.count
    }
  }

  /// Runs the trials not done yet; returns every trial's record.
  public func run(print say: @escaping (String) -> Void = { Swift.print($0) }) throws -> Outcome {
    let lock = try SweepLock(records.url, what: "study")
    defer { withExtendedLifetime(lock) {} }
    try records.prepare()
    var outcome = Outcome()
    let existing = records.trials()
    outcome.before = existing.filter(\.state.isDone).count
    // Trials a stop left unfinished run again with their settings (first, in order).
    var redo = existing.filter { !$0.state.isDone }.map(\.number)
    var next = (existing.map(\.number).max() ?? -1) + 1
    var done = outcome.before
    if outcome.before > 0 {
      say("\(outcome.before) of \(trials) trials done before: kept")
    }
    let sampler = study.makeSampler(seed: records.scenario.job.seed)
    try Interruption.listen(notice: "stopping the study once the trials in progress stop") {
      while true {
        if Interruption.isRequested {
          for ended in try launcher.stopAll() { settle(ended, say: say, done: &done) }
          outcome.interrupted = true
          break
        }
        while launcher.running.count < parallel,
          !redo.isEmpty || done + launcher.running.count < trials
        {
          let number: Int
          if !redo.isEmpty {
            number = redo.removeFirst()
            guard try reopenTrial(number) else { continue }
          } else {
            number = next
            next += 1
            try sampleTrial(number, with: sampler)
          }
          try launcher.start(number)
          let record = TrialRecord.read(records.trialURL(number))
          say("trial \(number) started: \(describe(record))")
        }
        if launcher.running.isEmpty { break }
        let ended = try launcher.ended()
        for item in ended { settle(item, say: say, done: &done) }
        if ended.isEmpty { Thread.sleep(forTimeInterval: launcher.pollInterval) }
      }
    }
    outcome.trials = records.trials()
    try records.writeAggregates(outcome.trials)
    return outcome
  }

  /// Writes trial `number`'s record, its settings drawn by `sampler` from the trials finished
  /// so far.
  func sampleTrial(_ number: Int, with sampler: any Sampler) throws {
    let history = records.trials().compactMap(\.finished)
    let point = sampler.sample(study.space, number: number, history: history, goal: study.goal)
    var settings: [String: String] = [:]
    for parameter in study.space.parameters {
      settings[parameter.name] = parameter.distribution.text(point[parameter.name]!)
    }
    try TrialRecord(number: number, parameters: point, settings: settings)
      .write(records.trialURL(number))
  }

  /// Marks an unfinished trial running again with its own settings; `false` when its record is
  /// gone.
  func reopenTrial(_ number: Int) throws -> Bool {
    guard var record = TrialRecord.read(records.trialURL(number)) else { return false }
    record.state = .running
    try record.write(records.trialURL(number))
    return true
  }

  /// `learning_rate=0.001 hidden_sizes=[64, 64]`.
  func describe(_ record: TrialRecord?) -> String {
    record.map(study.describe) ?? "?"
  }

  /// Records what became of an ended trial: its own record, or — when its process ended
  /// without a word (killed, out of memory) — failed with its log's last line.
  func settle(_ ended: (number: Int, exitStatus: Int32?), say: (String) -> Void, done: inout Int) {
    let url = records.trialURL(ended.number)
    guard var record = TrialRecord.read(url) else { return }
    if record.state == .running {
      let interrupted = ended.exitStatus == 130 || Interruption.isRequested
      record.state = interrupted ? .interrupted : .failed
      let ending =
        ended.exitStatus.map { "exit status \($0)" }
        ?? "no record: killed, out of memory or out of time?"
      record.message =
        LoggedProcess.lastLine(of: records.logURL(ended.number)).map { "\($0) (\(ending))" }
        ?? ending
      // Nothing half-written stays: the run it was writing goes.
      if let staging = record.staging, staging.hasSuffix(".partial") {
        try? FileManager.default.removeItem(atPath: staging)
      }
      record.staging = nil
      try? record.write(url)
    }
    // After Ctrl-C a trial that did not finish was stopped, whatever it recorded.
    if record.state == .failed, Interruption.isRequested {
      record.state = .interrupted
      try? record.write(url)
    }
    if record.state.isDone { done += 1 }
    let figure = record.value.map { "\(study.objective.name) \(RunRecord.format($0))" }
    let text: String
    switch record.state {
    case .complete:
      text =
        "complete"
        + (figure.map { ": \($0)" }
          ?? ": no \(study.objective.name) (\(record.message ?? "not recorded"))")
    case .pruned:
      text = "pruned after \(RunRecord.format(record.budget)) \(study.objective.unit)s"
    case .failed:
      text = "failed: \(record.message ?? "?") — log \(records.logURL(ended.number).path)"
    case .interrupted: text = "interrupted"
    case .running: text = "running"
    }
    say("[\(done)/\(trials)] trial \(ended.number) \(text)")
  }

}

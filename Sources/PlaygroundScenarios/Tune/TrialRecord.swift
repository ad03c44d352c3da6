import Foundation
import PlaygroundConfig
import PlaygroundFiles
import PlaygroundRuns
import PlaygroundTuning

/// One trial of a study as `<name>/tune/trials/trial-NNN.json` holds it: its settings, where it
/// stands, its intermediate figures and its outcome. The coordinator writes it when it starts
/// the trial; the trial's own process then updates it at each report and at its end — the
/// shared record through which the pruner of each trial sees the others (on one machine or on
/// the nodes of a cluster).
public struct TrialRecord: Codable, Equatable, Sendable {
  public enum State: String, Codable, Sendable {
    case running, complete, pruned, failed, interrupted

    /// Whether the trial has its outcome (a tune does not redo it).
    public var isDone: Bool { self == .complete || self == .pruned || self == .failed }
  }

  public var number: Int
  /// The sampled values, `name → value` (a choice: its index).
  public var parameters: [String: Double]
  /// The same as the YAML text each setting was given.
  public var settings: [String: String]
  public var state: State
  /// The objective (`nil` until complete, or when the run never recorded it).
  public var value: Double?
  /// Budget units used so far (the last report's).
  public var budget: Double
  public var reports: [TrialProgress.Report]
  /// Successive halving's rungs reached, by rung number.
  public var rungs: [String: Double]
  /// The run folders' ids under `<name>/`, one per seed of the scenario (in its order).
  public var runs: [String]
  /// The objective of each seed's run so far (`nil` where a run never recorded it).
  public var seedValues: [Double?]
  public var message: String?
  /// The staging folder of the run in progress, removed by the study if the trial's process is
  /// killed before it can remove it itself.
  public var staging: String?

  public init(number: Int, parameters: [String: Double], settings: [String: String]) {
    self.number = number
    self.parameters = parameters
    self.settings = settings
    state = .running
    budget = 0
    reports = []
    rungs = [:]
    runs = []
    seedValues = []
  }

  /// As the pruner sees it.
  public var progress: TrialProgress {
    TrialProgress(
      number: number, reports: reports,
      rungs: Dictionary(
        uniqueKeysWithValues: rungs.compactMap { key, value in Int(key).map { ($0, value) } }),
      isComplete: state == .complete)
  }

  /// As the sampler learns from it; `nil` unless complete or pruned.
  public var finished: FinishedTrial? {
    switch state {
    case .complete:
      return FinishedTrial(
        number: number, parameters: parameters, state: .complete, value: value, budget: budget)
    case .pruned:
      return FinishedTrial(
        number: number, parameters: parameters, state: .pruned, value: reports.last?.value,
        budget: budget)
    case .running, .failed, .interrupted: return nil
    }
  }

  /// Reads `url`; `nil` when there is none or it cannot be read.
  public static func read(_ url: URL) -> TrialRecord? {
    guard
      let data = try? UserFile.read(
        url, what: "trial record", maximumBytes: RunFolder.maximumRecordBytes)
    else { return nil }
    return try? JSONDecoder().decode(TrialRecord.self, from: data)
  }

  /// Writes it to `url` atomically.
  public func write(_ url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      try encoder.encode(self).write(to: url, options: .atomic)
    } catch {
      throw RunError("cannot write \(url.path): check that the output folder is writable")
    }
  }
}

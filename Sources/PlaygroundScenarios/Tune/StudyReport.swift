import Foundation
import PlaygroundRuns

/// A study's trials as text: the table `playground tune` ends with and `playground inspect`
/// shows, the best trial and the compute the study used.
public struct StudyReport {
  public let records: StudyRecords
  public let trials: [TrialRecord]

  public init(records: StudyRecords, trials: [TrialRecord]) {
    self.records = records
    self.trials = trials
  }

  var study: StudySettings { records.study }

  /// The sum of the budgets the trials used (steps, epochs or episodes).
  public var budgetUsed: Double { trials.map(\.budget).reduce(0, +) }

  /// One line per trial, aligned: number, state, objective, budget, settings.
  public var table: [String] {
    let names = study.space.parameters.map(\.name)
    let header = ["trial", "state", study.objective.name, "\(study.objective.unit)s"] + names
    let rows = trials.map { trial in
      ["\(trial.number)", trial.state.rawValue, trial.value.map(RunRecord.format) ?? "–",
       RunRecord.format(trial.budget)]
        + study.space.parameters.map { parameter in
          trial.parameters[parameter.name].map(parameter.distribution.shortText)
            ?? trial.settings[parameter.name] ?? "?"
        }
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    return ([header] + rows).map { row in
      row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
        .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }

  /// `best: trial 7, test_accuracy 0.9812 — learning_rate=0.0012 …`.
  public var bestLine: String {
    guard let best = records.best(trials) else { return "best: none yet (no trial completed)" }
    return "best: trial \(best.number), \(study.objective.name) \(RunRecord.format(best.value!)) — \(study.describe(best))"
  }

  /// `12 trials: 7 complete, 4 pruned, 1 failed; 123,000 steps used`.
  public var countLine: String {
    let states: [TrialRecord.State] = [.complete, .pruned, .failed, .interrupted, .running]
    let counts = states.compactMap { state -> String? in
      let count = trials.filter { $0.state == state }.count
      return count > 0 ? "\(count) \(state.rawValue)" : nil
    }
    return "\(trials.count) trials: \(counts.joined(separator: ", ")); \(RunRecord.format(budgetUsed)) \(study.objective.unit)s used"
  }

  /// Prints the table (unless quiet), the counts, the best and where the files are.
  public func print(quiet: Bool) throws {
    if !quiet { for line in table { Swift.print(line) } }
    Swift.print(countLine)
    Swift.print(bestLine)
    let best = records.best(trials) != nil ? ", best.yaml" : ""
    Swift.print("→ \(records.url.path)/ (trials.csv\(best), tune.png)")
  }
}

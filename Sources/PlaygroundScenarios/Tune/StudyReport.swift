import Foundation
import PlaygroundFiles
import PlaygroundRuns

/// A study's trials as text — the table `playground tune` ends with, the best trial and the
/// compute the study used — and as its page, `tune/report.html`.
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
      [
        "\(trial.number)", trial.state.rawValue, trial.value.map(RunRecord.format) ?? "–",
        RunRecord.format(trial.budget),
      ] + study.shortValues(trial)
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    return ([header] + rows).map { row in
      row.enumerated().map {
        $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0)
      }
      .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }

  /// `best: trial 7, test_accuracy 0.9812 — learning_rate=0.0012 …`.
  public var bestLine: String {
    guard let best = records.best(trials) else { return "best: none yet (no trial completed)" }
    return
      "best: trial \(best.number), \(study.objective.name) \(RunRecord.format(best.value!)) — \(study.describe(best))"
  }

  /// `12 trials: 7 complete, 4 pruned, 1 failed; 123,000 steps used`.
  public var countLine: String {
    let states: [TrialRecord.State] = [.complete, .pruned, .failed, .interrupted, .running]
    let counts = states.compactMap { state -> String? in
      let count = trials.filter { $0.state == state }.count
      return count > 0 ? "\(count) \(state.rawValue)" : nil
    }
    return
      "\(trials.count) trials: \(counts.joined(separator: ", ")); \(RunRecord.format(budgetUsed)) \(study.objective.unit)s used"
  }

  /// `tune/report.html`: the study's page — the counts, the best, `tune.png` and the trial table
  /// with each trial's settings, state and objective, linked to its runs' own reports.
  public func html() -> String {
    let e = SVGChart.escape
    let parameters = study.space.parameters
    var body = "<h1>\(e(records.scenario.name)): tuning study</h1>\n"
    body +=
      "<p>\(e(study.sampler.rawValue)) sampler · pruner \(e(study.pruner.name)) · \(study.goal.rawValue) \(e(study.objective.name)) · seeds \(records.scenario.seeds.map(String.init).joined(separator: ", "))</p>\n"
    body += "<p>\(e(countLine))</p>\n<p><b>\(e(bestLine))</b></p>\n"
    if let data = try? UserFile.read(
      records.url.appendingPathComponent("tune.png"), what: "picture",
      maximumBytes: RunFolder.maximumRecordBytes)
    {
      body +=
        "<h2>Trials</h2>\n<figure><img alt=\"tune.png\" src=\"data:image/png;base64,\(data.base64EncodedString())\"><figcaption>tune.png</figcaption></figure>\n"
    }
    body +=
      "<h2>Table</h2>\n<table>\n<tr><th>trial</th><th>state</th><th>\(e(study.objective.name))</th><th>\(e(study.objective.unit))s</th>"
    body += parameters.map { "<th>\(e($0.name))</th>" }.joined() + "<th>runs</th></tr>\n"
    for trial in trials {
      let cells = study.shortValues(trial)
      let runs = trial.runs.map { "<a href=\"../\(e($0))/report.html\">\(e($0))</a>" }.joined(
        separator: " ")
      body +=
        "<tr><td class=\"num\">\(trial.number)</td><td><span class=\"status \(trial.state.rawValue)\">\(trial.state.rawValue)</span></td>"
      body +=
        "<td class=\"num\">\(trial.value.map(RunRecord.format) ?? "–")</td><td class=\"num\">\(RunRecord.format(trial.budget))</td>"
      body += cells.map { "<td class=\"num\">\(e($0))</td>" }.joined() + "<td>\(runs)</td></tr>\n"
    }
    body += "</table>\n"
    if let best = try? String(
      contentsOf: records.url.appendingPathComponent("best.yaml"), encoding: .utf8)
    {
      body += "<h2>best.yaml</h2>\n<pre>\(e(best))</pre>\n"
    }
    return RunReport.page(title: "\(records.scenario.name) · tuning study", body: body)
  }

  /// Prints the table (unless quiet), the counts, the best and where the files are.
  public func print(quiet: Bool) throws {
    if !quiet { for line in table { Swift.print(line) } }
    Swift.print(countLine)
    Swift.print(bestLine)
    let best = records.best(trials) != nil ? ", best.yaml" : ""
    Swift.print("→ \(records.url.path)/ (trials.csv\(best), tune.png, report.html)")
  }
}

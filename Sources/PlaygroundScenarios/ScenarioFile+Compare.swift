import Foundation
import PlaygroundConfig
import PlaygroundKinds
import Yams

extension ScenarioFile.Reader {
  /// The keys of one job of `compare:`.
  static let comparedKeys = ["label", "kind", "dataset", "environment", "agent", "overrides"]

  /// A `compare:` scenario: two or more jobs of any kinds, each with its own `kind`, `dataset`
  /// or `environment`, `agent`, `overrides` and `label` (default: its kind), all with the
  /// scenario's `budget` and seeds; they run as a sweep whose setting is `compare`. `--set`
  /// changes every compared job that has the setting.
  mutating func parseComparison(_ mapping: Node.Mapping) -> Scenario? {
    for key in [
      "kind", "dataset", "environment", "agent", "overrides", "sweep", "search", "batched",
    ]
    where mapping[key] != nil {
      problem(
        mapping[key],
        "'\(key)' does not go beside 'compare:': each compared job has its own kind, dataset or environment, agent and overrides, and a comparison is not swept, searched or batched"
      )
    }
    guard let list = mapping["compare"]?.sequence, list.count >= 2 else {
      problem(
        mapping["compare"],
        "'compare' must be a list of two or more jobs, e.g. [{kind: gan, dataset: mnist}, {kind: flow, dataset: mnist}]"
      )
      return nil
    }
    var labels = Set<String>()
    var compared: [Scenario.ComparedJob] = []
    for node in list {
      guard let entry = comparedJob(node, budget: mapping["budget"]) else { continue }
      if !labels.insert(entry.label).inserted {
        problem(node, "two compared jobs are labelled '\(entry.label)': give each its own label:")
      }
      compared.append(entry)
    }
    applyCommandLine(to: &compared)
    guard problems.isEmpty, let first = compared.first else { return nil }
    let seeds = readSeeds(mapping, default: first.job.seed)
    checkSize(
      [Scenario.SweepAxis(key: "compare", values: Array(list))], seeds: seeds,
      at: mapping["seeds"])
    var scenario = scenario(mapping, job: first.job, seeds: seeds)
    scenario?.compared = compared
    return scenario
  }

  /// One entry of `compare:`, with the scenario's budget and its own overrides.
  private mutating func comparedJob(_ entry: Node, budget: Node?) -> Scenario.ComparedJob? {
    guard let fields = entry.mapping else {
      problem(entry, "each job of 'compare' is a mapping, e.g. {kind: flow, dataset: mnist}")
      return nil
    }
    checkKeys(fields, known: Self.comparedKeys, place: " in a compared job")
    guard let (kind, kindNode) = string(fields, "kind") else {
      if fields["kind"] == nil { problem(entry, "a compared job needs 'kind'") }
      return nil
    }
    guard var job = baseJob(kind: kind, kindNode: kindNode, fields) else { return nil }
    applyBudget(budget, to: &job)
    applyOverrides(fields["overrides"], to: &job)
    let label = string(fields, "label")?.0 ?? kind
    return Scenario.ComparedJob(label: label, job: job)
  }

  /// `--set KEY=VALUE` on every compared job that has the setting; a problem when none has it.
  private mutating func applyCommandLine(to compared: inout [Scenario.ComparedJob]) {
    for setting in settings {
      guard let (key, value) = ScenarioFile.commandLineSetting(setting) else {
        problem(nil, "--set \(setting): write KEY=VALUE, e.g. --set learning_rate=0.001")
        continue
      }
      var applied = false
      for k in compared.indices where type(of: compared[k].job).settingKeys.contains(key) {
        applied = true
        do {
          let changed = try compared[k].job.applying(Node.Mapping([(Node(key), value)]), source: "")
          try changed.validate()
          compared[k].job = changed
        } catch {
          problem(
            nil,
            "--set \(setting) (\(compared[k].label)): \((error as? ConfigError)?.message ?? "\(error)")"
          )
        }
      }
      if !applied { problem(nil, "--set \(setting): no compared job has the setting \(key)") }
    }
  }
}

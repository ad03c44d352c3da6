import Foundation
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundTuning
import Yams

extension ScenarioFile {
  /// The most trials one study may ask for (`trials:`, `--trials`).
  public static let maximumTrials = 10_000
}

extension ScenarioFile.Reader {
  /// The keys of a tuning study; `search:` makes a scenario one.
  static let studyKeys = ["search", "objective", "trials", "sampler", "pruner"]

  /// `search:` with `objective:`, `trials:`, `sampler:` and `pruner:`, every problem with its
  /// line; `nil` when the scenario has no `search:`.
  mutating func readStudy(_ mapping: Node.Mapping, job: any NamedRunKind)
    -> StudySettings?
  {
    guard let searchNode = mapping["search"] else {
      for key in Self.studyKeys.dropFirst() where mapping[key] != nil {
        problem(mapping[key], "'\(key)' belongs to a tuning study: add a search: section")
      }
      return nil
    }
    if let sweep = mapping["sweep"] {
      problem(sweep, "a scenario either sweeps or searches: move the swept settings into search:")
    }
    let space = readSearch(searchNode, job: job)
    let (objective, goal, overSeeds) = readObjective(mapping["objective"], job: job)
    let trials = readTrials(mapping["trials"])
    var sampler = StudySettings.SamplerKind.tpe
    if let (name, node) = string(mapping, "sampler") {
      if let kind = StudySettings.SamplerKind(rawValue: name) {
        sampler = kind
      } else {
        problem(node, "unknown sampler '\(name)': use tpe or random")
      }
    }
    let pruner = readPruner(mapping["pruner"])
    guard let space, let objective, let goal else { return nil }
    if pruner != .none && objective.progress == nil {
      problem(
        mapping["pruner"],
        "\(objective.name) is known only at the end of a run, so nothing can be pruned on it: use pruner: none"
      )
    }
    var study = StudySettings(
      space: space, objective: objective, goal: goal, trials: trials, sampler: sampler,
      pruner: pruner)
    study.overSeeds = overSeeds
    return study
  }

  /// `setting: {log_uniform: [low, high]}`, `{uniform: …}`, `{int: [low, high], log: true}` or
  /// `{choice: [a, b, …]}`, each checked against the setting.
  mutating func readSearch(_ node: Node, job: any NamedRunKind) -> SearchSpace? {
    guard let entries = node.mapping, !entries.isEmpty else {
      problem(
        node,
        "'search' must map settings to ranges, e.g. learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}")
      return nil
    }
    let settingKeys = type(of: job).settingKeys
    var parameters: [SearchSpace.Parameter] = []
    for (key, value) in entries {
      let name = key.string ?? "?"
      guard settingKeys.contains(name) else {
        problem(
          key,
          "unknown setting '\(name)' to search; known settings: \(settingKeys.joined(separator: ", "))"
        )
        continue
      }
      if let distribution = readDistribution(value, of: name, job: job) {
        parameters.append(.init(name: name, distribution: distribution))
      }
    }
    return parameters.count == entries.count ? SearchSpace(parameters) : nil
  }

  mutating func readDistribution(_ node: Node, of name: String, job: any NamedRunKind)
    -> Distribution?
  {
    let forms =
      "{log_uniform: [low, high]}, {uniform: [low, high]}, {int: [low, high]} or {choice: [a, b]}"
    guard let mapping = node.mapping else {
      problem(node, "search '\(name)' needs a range: \(forms)")
      return nil
    }
    let kinds = ["log_uniform", "uniform", "int", "choice"].filter { mapping[$0] != nil }
    for (key, _) in mapping where !(kinds + ["log"]).contains(key.string ?? "") {
      problem(
        key,
        "unknown key '\(key.string ?? "?")' in search '\(name)': use \(forms), and log: true with int"
      )
    }
    guard kinds.count == 1, let kind = kinds.first, let values = mapping[kind] else {
      problem(node, "search '\(name)' needs exactly one of \(forms)")
      return nil
    }
    var isLog = false
    if let log = mapping["log"] {
      if kind != "int" { problem(log, "log: applies to int ranges; use log_uniform for numbers") }
      if let flag = log.bool { isLog = flag } else { problem(log, "log: is true or false") }
    }
    guard let list = values.sequence, !list.isEmpty else {
      problem(
        values,
        "search '\(name)': \(kind) takes a list, e.g. \(kind == "choice" ? "[a, b]" : "[low, high]")"
      )
      return nil
    }
    let distribution: Distribution
    if kind == "choice" {
      distribution = .choice(list.map(Self.flowText))
    } else {
      guard list.count == 2 else {
        problem(values, "search '\(name)': \(kind) takes two bounds, [low, high]")
        return nil
      }
      if kind == "int" {
        guard let low = list[0].int, let high = list[1].int else {
          problem(values, "search '\(name)': int bounds are whole numbers")
          return nil
        }
        // Whole numbers beyond 2^53 have no exact Double, which the samplers work in.
        guard abs(low) <= 1 << 53, abs(high) <= 1 << 53 else {
          problem(values, "search '\(name)': int bounds must be within ±2^53")
          return nil
        }
        guard low < high, !isLog || low >= 1 else {
          problem(
            values, "search '\(name)': need low < high\(isLog ? " and 1 ≤ low on a log scale" : "")"
          )
          return nil
        }
        distribution = .integer(low: low, high: high, log: isLog)
      } else {
        guard let low = list[0].float, let high = list[1].float, low.isFinite, high.isFinite else {
          problem(values, "search '\(name)': bounds are numbers")
          return nil
        }
        guard (high - low).isFinite else {
          problem(
            values, "search '\(name)': the range is too wide (high − low is not a finite number)")
          return nil
        }
        guard low < high, kind == "uniform" || low > 0 else {
          problem(
            values,
            "search '\(name)': need low < high\(kind == "log_uniform" ? " and 0 < low" : "")")
          return nil
        }
        distribution =
          kind == "uniform" ? .uniform(low: low, high: high) : .logUniform(low: low, high: high)
      }
    }
    // Every value the search may give must be one the setting takes.
    let before = problems.count
    for text in Self.probes(distribution) {
      guard problems.count == before, let value = try? Yams.compose(yaml: text) else { break }
      var probe = job
      apply(&probe, [(Node(name), value)], at: node)
    }
    return problems.count == before ? distribution : nil
  }

  /// The values to check a distribution with: its bounds, or every choice.
  static func probes(_ distribution: Distribution) -> [String] {
    switch distribution {
    case .uniform(let low, let high), .logUniform(let low, let high):
      return [distribution.text(low), distribution.text(high)]
    case .integer(let low, let high, _): return ["\(low)", "\(high)"]
    case .choice(let values): return values
    }
  }

  /// A node as one line of YAML (`[64, 64]`), as a choice is applied and shown.
  static func flowText(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar): return scalar.string
    case .sequence(let sequence): return "[" + sequence.map(flowText).joined(separator: ", ") + "]"
    case .mapping(let mapping):
      return "{"
        + mapping.map { "\(flowText($0.key)): \(flowText($0.value))" }.joined(separator: ", ") + "}"
    case .alias: return "?"
    }
  }

  /// `objective: {metric: NAME, goal: maximize|minimize, over_seeds: mean|median|iqm}`; the
  /// goal, when given, must be the metric's own direction; `over_seeds` (default mean) is how a
  /// trial's seeds make its value.
  mutating func readObjective(_ node: Node?, job: any NamedRunKind) -> (
    RunObjective?, Goal?, AggregateMetric
  ) {
    var overSeeds = AggregateMetric.mean
    if let node = node?.mapping?["over_seeds"] {
      let allowed: [AggregateMetric] = [.mean, .median, .iqm]
      if let name = node.string, let metric = AggregateMetric(rawValue: name),
        allowed.contains(metric)
      {
        overSeeds = metric
      } else {
        problem(node, "over_seeds is mean, median or iqm, got '\(node.string ?? "?")'")
      }
    }
    let (objective, goal) = readMetricAndGoal(node, job: job)
    return (objective, goal, overSeeds)
  }

  private mutating func readMetricAndGoal(_ node: Node?, job: any NamedRunKind) -> (
    RunObjective?, Goal?
  ) {
    let known = type(of: job).objectives
    let names = known.map(\.name).joined(separator: ", ")
    guard let node else {
      problem(
        nil,
        "'objective' is missing: e.g. objective: {metric: \(known.first?.name ?? "…")}; this kind records \(names)"
      )
      return (nil, nil)
    }
    guard let mapping = node.mapping, let metric = mapping["metric"]?.string else {
      problem(
        node,
        "'objective' needs metric: (one of \(names)) and optionally goal: maximize or minimize")
      return (nil, nil)
    }
    for (key, _) in mapping where !["metric", "goal", "over_seeds"].contains(key.string ?? "") {
      problem(
        key, "unknown key '\(key.string ?? "?")' in objective: use metric, goal and over_seeds")
    }
    guard let objective = known.first(where: { $0.name == metric }) else {
      problem(mapping["metric"], "unknown metric '\(metric)' for this kind: use \(names)")
      return (nil, nil)
    }
    let natural: Goal = objective.higherIsBetter ? .maximize : .minimize
    if let goalNode = mapping["goal"] {
      guard let goal = goalNode.string.flatMap(Goal.init(rawValue:)) else {
        problem(goalNode, "goal is maximize or minimize")
        return (objective, nil)
      }
      if goal != natural {
        problem(
          goalNode,
          "\(metric) is better \(natural == .maximize ? "higher" : "lower"): goal \(natural.rawValue)"
        )
        return (objective, nil)
      }
    }
    return (objective, natural)
  }

  /// The most trials one study may ask for.
  static var maximumTrials: Int { ScenarioFile.maximumTrials }

  mutating func readTrials(_ node: Node?) -> Int {
    guard let node else { return 20 }
    guard let trials = node.int, (1...Self.maximumTrials).contains(trials) else {
      problem(node, "'trials' is a whole number from 1 to \(Self.maximumTrials)")
      return 20
    }
    return trials
  }

  /// `pruner: asha|median|none`, or a mapping with `type:` and the rule's settings:
  /// `reduction_factor` and `min_budget` (asha), `startup_trials` and `warmup` (median).
  mutating func readPruner(_ node: Node?) -> StudySettings.PrunerKind {
    guard let node else { return .none }
    let typeNode = node.mapping?["type"] ?? node
    let options = node.mapping ?? Node.Mapping([])
    guard let name = typeNode.string, ["asha", "median", "none"].contains(name) else {
      problem(
        typeNode, "unknown pruner: use asha, median or none (or {type: asha, reduction_factor: 3})")
      return .none
    }
    let allowed = [
      "asha": ["reduction_factor", "min_budget"], "median": ["startup_trials", "warmup"],
      "none": [],
    ][name]!
    for (key, _) in options where key.string != "type" && !allowed.contains(key.string ?? "") {
      problem(
        key,
        "unknown key '\(key.string ?? "?")' for pruner \(name)\(allowed.isEmpty ? "" : ": use " + allowed.joined(separator: " or "))"
      )
    }
    func number(_ key: String, minimum: Double) -> Double? {
      guard let node = options[key] else { return nil }
      guard let value = node.float, value.isFinite, value >= minimum else {
        problem(node, "\(key) is a number ≥ \(RunRecord.format(minimum))")
        return nil
      }
      return value
    }
    switch name {
    case "asha":
      return .asha(
        reductionFactor: number("reduction_factor", minimum: 2) ?? 3,
        minimumBudget: number("min_budget", minimum: 1e-9))
    case "median":
      let startup = number("startup_trials", minimum: 0) ?? 5
      return .median(startupTrials: Int(startup), warmup: number("warmup", minimum: 0) ?? 0)
    default: return .none
    }
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundKinds
import PlaygroundRuns
import Yams

/// Reads a scenario YAML strictly. Every problem — unknown keys, wrong types, out-of-range
/// values, missing files — is collected with its line, and all are reported together before
/// anything runs.
///
/// ```yaml
/// description: DQN on CartPole-v1, five seeds, two learning rates
/// kind: rl                   # classify | rl | gan (see `RunKinds`)
/// environment: cartpole      # rl: cartpole, frozenlake8x8, frozenlake4x4, cliffwalking or a path
/// agent: dqn                 # a name (see `playground list`) or a path into agents/
/// dataset: mnist             # classify and gan: mnist or fashion
/// overrides: {gamma: 0.98}   # any setting of the agent's YAML
/// budget: {steps: 20000}     # steps (DQN), episodes (tabular), epochs, minutes (GAN)
/// seeds: [0, 1, 2, 3, 4]     # or seed: 0
/// sweep: {learning_rate: [0.001, 0.0003]}
/// search: {learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}}   # instead of sweep: a tuning
/// objective: {metric: solved_at_step}                        # study for `playground tune`,
/// trials: 30                                                 # with sampler: tpe|random and
/// pruner: asha                                               # pruner: asha|median|none
/// output_dir: outputs        # runs land in <output_dir>/<name>/
/// name: cartpole-lr          # default: the file's name
/// ```
///
/// Or, instead of `kind`, `agent`, `dataset`/`environment`, `overrides` and `sweep`, jobs of any
/// kinds side by side with the same budget and seeds (``ScenarioFile/Reader/parseComparison(_:)``):
///
/// ```yaml
/// compare:
///   - {kind: gan, dataset: mnist}
///   - {kind: flow, dataset: mnist, label: flow-heun, overrides: {sampler: heun}}
/// budget: {minutes: 5}
/// ```
public enum ScenarioFile {
  public static let keys = [
    "name", "description", "kind", "dataset", "environment", "agent", "overrides", "budget",
    "seed", "seeds", "sweep", "output_dir", "search", "objective", "trials", "sampler", "pruner",
    "tensorboard", "batched", "compare",
  ]

  /// The presets of each kind, for `playground list` (kinds that share a label together).
  public static var presets: [(kind: String, presets: [RunPreset])] {
    var presets: [(kind: String, presets: [RunPreset])] = []
    for kind in RunKinds.all {
      if let index = presets.firstIndex(where: { $0.kind == kind.label }) {
        presets[index].presets += kind.presets
      } else {
        presets.append((kind.label, kind.presets))
      }
    }
    return presets
  }

  /// A `--set KEY=VALUE` argument as its key and its value read as YAML; `nil` when it is not of
  /// that form.
  public static func commandLineSetting(_ text: String) -> (key: String, value: Node)? {
    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, let value = try? Yams.compose(yaml: parts[1])
    else { return nil }
    return (parts[0], value)
  }

  /// Reads and checks the scenario at `url`; `settings` (`key=value`, from `--set`) override
  /// the file's settings last.
  /// - Throws: ``ScenarioProblems`` listing every problem, or ``RunError`` for an unreadable file.
  public static func read(_ url: URL, settings: [String] = []) throws -> Scenario {
    let text = try TextFile.read(url, what: "scenario")
    return try parse(text, source: url, settings: settings)
  }

  /// Checks the scenario `text` that was read from `source`.
  public static func parse(_ text: String, source: URL, settings: [String] = []) throws -> Scenario
  {
    var reader = Reader(source: source)
    reader.settings = settings
    let scenario = reader.parse(text)
    if !reader.problems.isEmpty || scenario == nil {
      // In file order; problems without a line (missing keys, --set) last.
      let ordered = reader.problems.enumerated().sorted {
        ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset)
      }.map { ($0.element.line.map { "line \($0): " } ?? "") + $0.element.message }
      throw ScenarioProblems(source: source.path, problems: ordered)
    }
    return scenario!
  }

  /// Collects problems while it reads.
  struct Reader {
    let source: URL
    var problems: [(line: Int?, message: String)] = []
    /// `key=value` overrides from the command line, applied after the file's.
    var settings: [String] = []

    init(source: URL) { self.source = source }

    mutating func problem(_ node: Node?, _ message: String) {
      problems.append((node?.mark?.line, message))
    }

    /// A problem from a settings reader: at the line it names, else at `node`'s.
    mutating func problem(_ node: Node?, settingError error: Error) {
      if let error = error as? ConfigError {
        problems.append((error.line ?? node?.mark?.line, error.message))
      } else {
        problem(node, "\(error)")
      }
    }

    /// `path` as given (from the working folder), else beside the scenario or one folder up.
    func resolve(_ path: String) -> URL? {
      let folder = source.deletingLastPathComponent()
      let candidates = [
        URL(fileURLWithPath: path), folder.appendingPathComponent(path),
        folder.deletingLastPathComponent().appendingPathComponent(path),
      ]
      return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    mutating func string(_ mapping: Node.Mapping, _ key: String) -> (String, Node)? {
      guard let node = mapping[key] else { return nil }
      guard let value = node.scalar?.string, node.scalar != nil else {
        problem(node, "'\(key)' must be a single value, not a list or mapping")
        return nil
      }
      return (value, node)
    }

    mutating func flag(_ mapping: Node.Mapping, _ key: String) -> Bool? {
      guard let (value, node) = string(mapping, key) else { return nil }
      guard let flag = Bool(value.lowercased()) else {
        problem(node, "'\(key)' must be true or false, not \(value)")
        return nil
      }
      return flag
    }

    mutating func parse(_ text: String) -> Scenario? {
      guard let mapping = topLevel(text) else { return nil }
      if mapping["compare"] != nil { return parseComparison(mapping) }
      guard let (kind, kindNode) = string(mapping, "kind") else {
        if mapping["kind"] == nil {
          problem(
            nil,
            "'kind' is missing: \(RunFamily.allCases.map(\.rawValue).joined(separator: ", ").replacingLastComma())"
          )
        }
        return nil
      }
      guard var job = baseJob(kind: kind, kindNode: kindNode, mapping) else { return nil }
      // The budget, then the overrides, key by key so that each problem has its line.
      applyBudget(mapping["budget"], to: &job)
      applyOverrides(mapping["overrides"], to: &job)
      let sweptKeys: [Node] = mapping["sweep"]?.mapping.map { Array($0.keys) } ?? []
      let searchedKeys: [Node] = mapping["search"]?.mapping.map { Array($0.keys) } ?? []
      let swept = Set((sweptKeys + searchedKeys).compactMap(\.string))
      applyCommandLine(to: &job, swept: swept)
      let seeds = readSeeds(mapping, default: job.seed)
      let sweep = readSweep(mapping, job: job)
      checkSize(sweep, seeds: seeds, at: mapping["sweep"] ?? mapping["seeds"])
      let study = readStudy(mapping, job: job)
      // Combinations of settings (e.g. a buffer smaller than the batch).
      if problems.isEmpty {
        do { try job.validate() } catch { problem(mapping["overrides"], settingError: error) }
      }
      let batched = flag(mapping, "batched") ?? false
      if batched { checkBatch(mapping, job: job, study: study) }
      var scenario = scenario(mapping, job: job, seeds: seeds, sweep: sweep, study: study)
      scenario?.batched = batched
      return scenario
    }

    /// The scenario of `job` with the file's name, description, output folder and TensorBoard
    /// setting; `nil` when any problem was found.
    mutating func scenario(
      _ mapping: Node.Mapping, job: any NamedRunKind, seeds: [UInt64]?,
      sweep: [Scenario.SweepAxis] = [], study: StudySettings? = nil
    ) -> Scenario? {
      let name = readName(mapping)
      var outputs = URL(fileURLWithPath: "outputs")
      if let (given, _) = string(mapping, "output_dir") { outputs = URL(fileURLWithPath: given) }
      let summary = string(mapping, "description")?.0 ?? ""
      let tensorBoard = flag(mapping, "tensorboard") ?? true
      guard problems.isEmpty, let seeds else { return nil }
      var scenario = Scenario(
        name: name, summary: summary, job: job.seeded(seeds[0]), seeds: seeds, sweep: sweep,
        outputDirectory: outputs, source: source, study: study)
      scenario.tensorBoard = tensorBoard
      return scenario
    }

    /// `batched: true`: seeds, no sweep, and a kind that trains seeds at once; in a study, each
    /// trial's seeds at once, so no pruner (a batch reports nothing until its seeds end).
    mutating func checkBatch(_ mapping: Node.Mapping, job: any NamedRunKind, study: StudySettings?)
    {
      let node = mapping["batched"]
      if !(job is any BatchedSeedsRun) {
        problem(
          node,
          "batched: true trains seeds at once, which this kind cannot (rl cartpole with dqn and the grid worlds can)"
        )
      } else if mapping["seeds"] == nil {
        problem(node, "batched: true needs seeds: [...] to train at once")
      } else if mapping["sweep"] != nil {
        problem(node, "batched: true trains one setting's seeds: drop sweep:")
      } else if let study, study.pruner != .none {
        problem(
          mapping["pruner"],
          "a batched trial's seeds report nothing until they end, so nothing can be pruned: use pruner: none"
        )
      }
    }

    /// The file's mapping, its unknown keys reported.
    mutating func topLevel(_ text: String) -> Node.Mapping? {
      let root: Node?
      do {
        root = try Yams.compose(yaml: text)
      } catch {
        problem(nil, "not valid YAML: \("\(error)".split(separator: "\n").first ?? "")")
        return nil
      }
      guard let mapping = root?.mapping else {
        problem(root, "a scenario is a mapping of key: value (kind:, agent:, …)")
        return nil
      }
      checkKeys(mapping, known: ScenarioFile.keys)
      return mapping
    }

    /// Each key of `mapping` that is not `known`, as a problem at its line (`place`, e.g.
    /// " in a compared job", says where).
    mutating func checkKeys(_ mapping: Node.Mapping, known: [String], place: String = "") {
      for (key, _) in mapping where !known.contains(key.string ?? "") {
        problem(
          key,
          "unknown key '\(key.string ?? "?")'\(place); known keys: \(known.joined(separator: ", "))"
        )
      }
    }

    mutating func applyBudget(_ budget: Node?, to job: inout any NamedRunKind) {
      guard let budget else { return }
      guard let entries = budget.mapping else {
        problem(budget, "'budget' must be a mapping, e.g. {steps: 20000}")
        return
      }
      let budgetKeys = type(of: job).budgetKeys
      for (key, value) in entries {
        guard let name = key.string, let setting = budgetKeys[name] else {
          problem(
            key,
            "unknown budget '\(key.string ?? "?")' for this job; use \(budgetKeys.keys.sorted().joined(separator: " or "))"
          )
          continue
        }
        apply(&job, [(Node(setting), value)], at: key)
      }
    }

    mutating func applyOverrides(_ overrides: Node?, to job: inout any NamedRunKind) {
      guard let overrides else { return }
      guard let entries = overrides.mapping else {
        problem(overrides, "'overrides' must be a mapping of setting: value")
        return
      }
      for (key, value) in entries { apply(&job, [(key, value)], at: key) }
    }

    /// The most runs one scenario may expand to.
    static let maximumRuns = 10_000

    /// Refuses sweeps larger than ``maximumRuns`` before anything is expanded.
    mutating func checkSize(_ sweep: [Scenario.SweepAxis], seeds: [UInt64]?, at node: Node?) {
      var runs = seeds?.count ?? 1
      for axis in sweep {
        let (product, overflow) = runs.multipliedReportingOverflow(by: axis.values.count)
        runs = overflow ? .max : product
      }
      if runs > Self.maximumRuns {
        problem(
          node,
          "the scenario expands to \(runs == .max ? "too many" : String(runs)) runs (settings × seeds); at most \(Self.maximumRuns): split it into several scenarios"
        )
      }
    }

    /// `--set KEY=VALUE`, last; a swept key cannot be set (its values come from `sweep:`).
    mutating func applyCommandLine(to job: inout any NamedRunKind, swept: Set<String>) {
      for setting in settings {
        guard let (key, value) = ScenarioFile.commandLineSetting(setting) else {
          problem(nil, "--set \(setting): write KEY=VALUE, e.g. --set learning_rate=0.001")
          continue
        }
        guard !swept.contains(key) else {
          problem(
            nil,
            "--set \(setting): the scenario sweeps or searches \(key); change its values there instead"
          )
          continue
        }
        do {
          let changed = try job.applying(Node.Mapping([(Node(key), value)]), source: "")
          try changed.validate()
          job = changed
        } catch {
          problem(nil, "--set \(setting): \((error as? ConfigError)?.message ?? "\(error)")")
        }
      }
    }

    /// `name:`, or the file's name.
    mutating func readName(_ mapping: Node.Mapping) -> String {
      guard let (given, node) = string(mapping, "name") else {
        return source.deletingPathExtension().lastPathComponent
      }
      if given.isEmpty || !given.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
        || given.hasPrefix(".")
      {
        problem(node, "'name' becomes a folder name: use letters, digits, '-', '_' and '.'")
      }
      return given
    }

    mutating func apply(_ job: inout any NamedRunKind, _ entries: [(Node, Node)], at key: Node) {
      do {
        let changed = try job.applying(Node.Mapping(entries), source: "")
        try changed.validate()
        job = changed
      } catch {
        problem(key, settingError: error)
      }
    }

    mutating func readSeeds(_ mapping: Node.Mapping, default seed: UInt64) -> [UInt64]? {
      if mapping["seed"] != nil && mapping["seeds"] != nil {
        problem(mapping["seeds"], "give 'seed' or 'seeds', not both")
        return nil
      }
      func number(_ node: Node) -> UInt64? {
        guard let text = node.scalar?.string, let value = UInt64(text) else {
          problem(
            node, "a seed must be a whole number ≥ 0, got '\(node.scalar?.string ?? "a list")'")
          return nil
        }
        return value
      }
      if let node = mapping["seed"] { return number(node).map { [$0] } }
      guard let node = mapping["seeds"] else { return [seed] }
      guard let list = node.sequence, !list.isEmpty else {
        problem(node, "'seeds' must be a non-empty list, e.g. [0, 1, 2]")
        return nil
      }
      let seeds = list.compactMap(number)
      guard seeds.count == list.count else { return nil }
      guard Set(seeds).count == seeds.count else {
        problem(node, "'seeds' lists a seed twice")
        return nil
      }
      return seeds
    }

    mutating func readSweep(_ mapping: Node.Mapping, job: any NamedRunKind) -> [Scenario.SweepAxis]
    {
      let settingKeys = type(of: job).settingKeys
      guard let node = mapping["sweep"] else { return [] }
      guard let entries = node.mapping else {
        problem(node, "'sweep' must be a mapping of setting: [values]")
        return []
      }
      var axes: [Scenario.SweepAxis] = []
      for (key, values) in entries {
        let name = key.string ?? "?"
        if name == "seed" {
          problem(key, "sweep seeds with 'seeds: [...]' instead")
          continue
        }
        guard settingKeys.contains(name) else {
          problem(
            key,
            "unknown setting '\(name)' to sweep; known settings: \(settingKeys.joined(separator: ", "))"
          )
          continue
        }
        guard let list = values.sequence, !list.isEmpty else {
          problem(values, "sweep '\(name)' needs a non-empty list of values")
          continue
        }
        for value in list {
          var probe = job
          apply(&probe, [(key, value)], at: value)
        }
        axes.append(Scenario.SweepAxis(key: name, values: Array(list)))
      }
      return axes
    }
  }
}

/// Every problem of a scenario file, one per line, reported before anything runs.
public struct ScenarioProblems: Error, CustomStringConvertible {
  public let source: String
  public let problems: [String]

  public var description: String {
    let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
    return "\(source) has \(count):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
  }
}

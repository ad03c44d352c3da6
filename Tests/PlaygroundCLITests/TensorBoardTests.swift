import Foundation
import PlaygroundKinds
import TestSupport
import Testing

/// Every run's TensorBoard event file, read back here (scalars against the CSV tables, pictures
/// against the PNGs, the settings text, HParams sessions) and by TensorBoard itself
/// (`scripts/check-tensorboard`: its reader and its fast loader's HTTP API), for a sweep of each
/// kind of the registry and a tuning study.
@Suite(.onOneBackend) struct TensorBoardTests {
  /// Runs `scripts/check-tensorboard`; `nil` (and a note) when TensorBoard cannot be had here.
  static func checkTensorBoard(_ logdir: URL) throws -> ProjectScript.Outcome? {
    try ProjectScript.check(
      "check-tensorboard", [logdir.path], skipping: "TensorBoard's own reader")
  }

  @Test func everyKindsSweepAndAStudyReadInTensorBoard() throws {
    let box = try ClassifyCommandTests.Sandbox()
    for kind in RunKinds.all {
      let smoke = try kind.smokeTest(scratch: box.root)
      let file = box.root.appendingPathComponent("tb-\(kind.kind).yaml")
      try LaunchIndependenceTests.scenario(kind.family, smoke).write(
        to: file, atomically: true, encoding: .utf8)
      let outcome = try BinaryRunner.run(
        [
          "run", file.path, "--data-dir", box.data.path, "--output-dir", box.outputs.path,
          "--quiet",
        ],
        environment: box.environment)
      #expect(outcome.status == 0, "\(kind.kind): \(outcome.standardError)")
    }
    let study = box.root.appendingPathComponent("tb-study.yaml")
    try Self.study.write(to: study, atomically: true, encoding: .utf8)
    let tuned = try BinaryRunner.run(
      ["tune", study.path, "--output-dir", box.outputs.path, "--quiet"],
      environment: box.environment)
    #expect(tuned.status == 0, "\(tuned.standardError)")

    let runs = Self.runFolders(in: box.outputs)
    #expect(runs.count == 2 * RunKinds.all.count + 3)
    for run in runs { try Self.checkAgainstItsFiles(run) }

    guard let check = try Self.checkTensorBoard(box.outputs) else { return }
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("\(runs.count) runs"), "\(check.output)")
  }

  /// Three trials of a small Q-learning study.
  static let study = """
    kind: rl
    environment: frozenlake4x4
    agent: q-learning
    budget: {episodes: 300}
    search:
      learning_rate: {log_uniform: [0.01, 0.5]}
      epsilon_schedule: {choice: [linear, exponential]}
    objective: {metric: greedy_success_rate, goal: maximize}
    trials: 3
    pruner: none
    """

  /// The run folders under `outputs` (each with a config.yaml), not `latest`.
  static func runFolders(in outputs: URL) -> [URL] {
    let manager = FileManager.default
    var runs: [URL] = []
    for scenario in (try? manager.contentsOfDirectory(atPath: outputs.path)) ?? [] {
      let folder = outputs.appendingPathComponent(scenario)
      for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
      where name != "latest"
        && manager.fileExists(atPath: folder.appendingPathComponent("\(name)/config.yaml").path)
      {
        runs.append(folder.appendingPathComponent(name))
      }
    }
    return runs.sorted { $0.path < $1.path }
  }

  /// One event file; every value of metrics.csv the scalar at its step (the table has 6
  /// significant digits); every picture a PNG of
  /// the run; the settings text; an HParams session when the run is part of a sweep or study.
  static func checkAgainstItsFiles(_ run: URL) throws {
    let files = EventRecords.files(in: run)
    try #require(files.count == 1, "\(run.path): \(files)")
    let events = try EventRecords(files[0])
    #expect(!events.endedEarly)
    #expect(events.entries.first?.fileVersion == "brain.Event:2")
    let table = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
    let rows = table.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    let columns = rows[0]
    var compared = 0
    for row in rows.dropFirst() {
      let step = Int(Double(row[0])!)
      for (column, text) in zip(columns, row).dropFirst() {
        guard let value = Double(text), !value.isNaN else { continue }
        let shown = events.scalars(column)[step]
        #expect(
          shown.map { abs(Double($0) - value) <= 1e-5 * abs(value) } == true,
          "\(run.lastPathComponent): \(column) at \(step) is \(String(describing: shown)), metrics.csv \(text)"
        )
        compared += 1
      }
    }
    #expect(compared > 0)
    let pictures = events.entries.flatMap(\.images.values)
    #expect(!pictures.isEmpty)
    let manager = FileManager.default
    var pngs: Set<Data> = []
    for case let name as String in manager.enumerator(atPath: run.path)!
    where name.hasSuffix(".png") {
      pngs.insert(try Data(contentsOf: run.appendingPathComponent(name)))
    }
    #expect(Set(pictures) == pngs, "\(run.lastPathComponent): pictures and PNG files differ")
    let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(events.entries.compactMap { $0.texts["config"] }.first == "```yaml\n\(config)```\n")
    #expect(events.sessionHParams?["seed"] != nil, "\(run.lastPathComponent): no HParams session")
    #expect(events.sessionStatus == "success")
  }

  @Test func noTensorBoardWritesNoEventFile() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let outcome = try BinaryRunner.run(
      [
        "rl", "gridworld", "--map", "frozenlake4x4", "--episodes", "50", "--output-dir",
        box.outputs.path, "--quiet",
        "--no-tensorboard",
      ],
      environment: box.environment)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let file = box.root.appendingPathComponent("off.yaml")
    try
      "kind: rl\nenvironment: frozenlake4x4\nagent: q-learning\nbudget: {episodes: 50}\nseeds: [0, 1]\ntensorboard: false\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let sweep = try BinaryRunner.run(
      ["run", file.path, "--output-dir", box.outputs.path, "--quiet"], environment: box.environment)
    #expect(sweep.status == 0, "\(sweep.standardError)")
    let runs = Self.runFolders(in: box.outputs)
    #expect(runs.count == 3)
    for run in runs { #expect(EventRecords.files(in: run).isEmpty, "\(run.path)") }
    #expect(EventRecords.files(in: box.outputs.appendingPathComponent("off/sweep")).isEmpty)

    try "kind: rl\nenvironment: frozenlake4x4\ntensorboard: maybe\n".write(
      to: file, atomically: true, encoding: .utf8)
    let bad = try BinaryRunner.run(["run", file.path], environment: box.environment)
    #expect(bad.status != 0)
    #expect(bad.standardError.contains("'tensorboard' must be true or false, not maybe"))
  }
}

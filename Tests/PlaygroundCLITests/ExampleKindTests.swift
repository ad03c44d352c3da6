import Foundation
import TestSupport
import Testing

/// The openness of the registry: `Tests/ExampleKind` defines a kind of its own (a least-squares
/// line fit, `kind: fit`) in its own files, registers it the way any program would
/// (`RunKinds.register`) and runs the playground's commands — here through a sweep, a study,
/// a config rerun, `list`, `inspect`, `report.html`, and the refusals of `export`/`explain`.
/// No file of the playground's sources names it.
@Suite(.onOneBackend) struct ExampleKindTests {
  /// A folder with a scenario and a study of the example kind.
  final class Folder {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fit-\(UUID())")

    init() throws {
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      try """
      description: a line fitted by gradient descent at two learning rates
      kind: fit
      agent: gradient-descent
      budget: {steps: 60}
      seeds: [0, 1]
      sweep:
        learning_rate: [0.02, 0.2]
      """.write(to: root.appendingPathComponent("fit.yaml"), atomically: true, encoding: .utf8)
      try """
      description: the learning rate for the lowest loss
      kind: fit
      agent: gradient-descent
      budget: {steps: 90}
      search:
        learning_rate: {log_uniform: [0.001, 1.0]}
      objective: {metric: final_loss, goal: minimize}
      trials: 6
      sampler: tpe
      pruner: {type: asha, reduction_factor: 3, min_budget: 10}
      """.write(to: root.appendingPathComponent("tune-fit.yaml"), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String], binary: URL = BinaryRunner.exampleKindBinary) throws
      -> BinaryRunner.Outcome
    {
      try BinaryRunner.run(arguments, in: root, executable: binary)
    }

    func json(_ path: String) throws -> [String: Any] {
      let data = try Data(contentsOf: root.appendingPathComponent(path))
      return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    deinit { try? FileManager.default.removeItem(at: root) }
  }

  @Test func aKindFromOutsideRunsThroughEveryCommand() throws {
    let folder = try Folder()
    let list = try folder.run(["list"])
    #expect(list.status == 0, "\(list.standardError)")
    #expect(list.standardOutput.contains("gradient-descent"), "\(list.standardOutput)")
    #expect(list.standardOutput.contains("fit (example kind)"), "\(list.standardOutput)")

    // A sweep: two learning rates × two seeds, two at a time.
    let sweep = try folder.run(["run", "fit.yaml", "--jobs", "2", "--quiet"])
    #expect(sweep.status == 0, "\(sweep.standardError)")
    let table = try String(
      contentsOf: folder.root.appendingPathComponent("outputs/fit/sweep/sweep.csv"), encoding: .utf8
    )
    let rows = table.split(separator: "\n")
    #expect(rows.first == "job,learning_rate,seed,status,run,final_loss,slope,intercept,steps")
    #expect(
      rows.dropFirst().count == 4 && rows.dropFirst().allSatisfy { $0.contains(",finished,") })
    #expect(
      FileManager.default.fileExists(atPath: folder.root.path + "/outputs/fit/sweep/sweep.png"))
    let runs = try FileManager.default.contentsOfDirectory(
      atPath: folder.root.appendingPathComponent("outputs/fit").path
    ).filter { $0.contains("seed") }.sorted()
    #expect(runs.count == 4)
    for run in runs {
      let summary = try folder.json("outputs/fit/\(run)/summary.json")
      #expect(summary["kind"] as? String == "least-squares")
      #expect((summary["steps"] as? Int) == 60)
      #expect(
        FileManager.default.fileExists(atPath: "\(folder.root.path)/outputs/fit/\(run)/report.html")
      )
    }
    // The larger rate fits the line (slope 2) closely within 60 steps.
    let fitted = try runs.map { try folder.json("outputs/fit/\($0)/summary.json") }
      .filter { ($0["final_loss"] as? Double ?? 1) < 0.02 }
    #expect(fitted.count == 2)
    #expect(fitted.allSatisfy { abs(($0["slope"] as? Double ?? 0) - 2) < 0.1 })

    // inspect reads it through its kind's presentation.
    let inspect = try folder.run(["inspect", "outputs"])
    #expect(inspect.status == 0, "\(inspect.standardError)")
    #expect(inspect.standardOutput.contains("final_loss"), "\(inspect.standardOutput)")
    let one = try folder.run(["inspect", "outputs/fit/\(runs[0])"])
    #expect(one.standardOutput.contains("loss over step (metrics.csv)"), "\(one.standardOutput)")

    // A run's config.yaml alone gives the same metrics.
    let alone = try folder.run([
      "run", "outputs/fit/\(runs[0])/config.yaml", "--output-dir", "alone", "--quiet",
    ])
    #expect(alone.status == 0, "\(alone.standardError)")
    let aloneRun = try #require(
      try FileManager.default.subpathsOfDirectory(atPath: folder.root.path + "/alone")
        .first { $0.hasSuffix("metrics.csv") })
    #expect(
      try Data(contentsOf: folder.root.appendingPathComponent("alone/\(aloneRun)"))
        == Data(
          contentsOf: folder.root.appendingPathComponent("outputs/fit/\(runs[0])/metrics.csv")))

    // What the kind does not offer is one line naming the kinds that do.
    for arguments in [
      ["export", "outputs/fit/\(runs[0])"], ["explain", "outputs/fit/\(runs[0])"],
    ] {
      let refused = try folder.run(arguments)
      #expect(refused.status != 0)
      #expect(refused.standardError.contains("least-squares"), "\(refused.standardError)")
      #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
    }
  }

  @Test func aStudyTunesIt() throws {
    let folder = try Folder()
    let study = try folder.run(["tune", "tune-fit.yaml", "--quiet"])
    #expect(study.status == 0, "\(study.standardError)")
    for file in ["trials.csv", "best.yaml", "tune.png", "report.html", "study.json"] {
      #expect(
        FileManager.default.fileExists(atPath: "\(folder.root.path)/outputs/tune-fit/tune/\(file)"),
        "\(file)")
    }
    let best = try String(
      contentsOf: folder.root.appendingPathComponent("outputs/tune-fit/tune/best.yaml"),
      encoding: .utf8)
    #expect(best.contains("learning_rate:"), "\(best)")
  }

  /// The playground itself does not know the kind: registering it is what makes it run.
  @Test func thePlaygroundWithoutItRefusesTheName() throws {
    let folder = try Folder()
    let outcome = try folder.run(["run", "fit.yaml"], binary: BinaryRunner.binary)
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains("unknown kind 'fit'"), "\(outcome.standardError)")
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
    for path in try FileManager.default.subpathsOfDirectory(atPath: sources.path)
    where path.hasSuffix(".swift") {
      let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
      #expect(!text.contains("LeastSquares") && !text.contains("least-squares"), "\(path)")
    }
  }
}

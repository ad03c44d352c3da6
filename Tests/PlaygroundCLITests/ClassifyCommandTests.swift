import Foundation
import TestSupport
import Testing

/// `playground classify` and `playground data`, run as a user would, on a data folder made here
/// (digit-sized images whose class is the row of a bright bar) and an empty cache.
@Suite(.onEveryBackend) struct ClassifyCommandTests {
  final class Sandbox {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("classify-\(UUID())")
    var data: URL { root.appendingPathComponent("data") }
    var outputs: URL { root.appendingPathComponent("outputs") }
    /// No cache, no downloads, no PLAYGROUND_DATA from the caller.
    var environment: [String: String] {
      [
        "XDG_CACHE_HOME": root.appendingPathComponent("cache").path, "PLAYGROUND_OFFLINE": "1",
        "PLAYGROUND_DATA": "",
      ]
    }

    init() throws {
      try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
      try SyntheticDigits.writeIDX(prefix: "train", count: 300, seed: 1, into: data)
      try SyntheticDigits.writeIDX(prefix: "t10k", count: 100, seed: 2, into: data)
    }

    func classify(_ extra: [String]) throws -> BinaryRunner.Outcome {
      try BinaryRunner.run(
        ["classify", "mnist", "--data-dir", data.path, "--output-dir", outputs.path, "--quiet"]
          + extra,
        environment: environment)
    }

    func runFolders() -> [URL] {
      let scenario = outputs.appendingPathComponent("classify-mnist")
      let names = (try? FileManager.default.contentsOfDirectory(atPath: scenario.path)) ?? []
      return names.filter { $0 != "latest" }.sorted().map { scenario.appendingPathComponent($0) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }
  }

  @Test func aTinyRunWritesEveryFile() throws {
    let box = try Sandbox()
    let outcome = try box.classify(["--epochs", "2", "--train-limit", "200", "--seed", "3"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.hasPrefix("test accuracy "))
    let runs = box.runFolders()
    #expect(runs.count == 1)
    let run = try #require(runs.first)
    #expect(run.lastPathComponent.hasSuffix("-seed3"))
    let files = try EventRecords.names(in: run)
    #expect(
      files == [
        "config.yaml", "confusion.png", "events.out.tfevents.*", "metrics.csv", "mistakes.png",
        "model.safetensors", "per_class.png", "report.html", "summary.json",
      ])
    let metrics = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
    #expect(metrics.split(separator: "\n").first == "epoch,loss,accuracy,test_loss,test_accuracy")
    #expect(metrics.split(separator: "\n").count == 3)
    let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(config.contains("train_limit: 200") && config.contains("seed: 3"))
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
    #expect(summary?["status"] as? String == "finished")
    #expect((summary?["test_accuracy"] as? Double ?? 0) > 0.5)
    let latest = try FileManager.default.destinationOfSymbolicLink(
      atPath: box.outputs.appendingPathComponent("classify-mnist/latest").path)
    #expect(latest == run.lastPathComponent)
  }

  @Test func rerunningTheConfigReproducesTheMetricsAndPictures() throws {
    let box = try Sandbox()
    #expect(
      try box.classify(["--epochs", "1", "--train-limit", "150", "--seed", "11"]).status == 0)
    let first = try #require(box.runFolders().first)
    let again = try box.classify(["--config", first.appendingPathComponent("config.yaml").path])
    #expect(again.status == 0, "\(again.standardError)")
    let second = try #require(box.runFolders().last)
    #expect(first != second)
    for file in ["metrics.csv", "confusion.png", "mistakes.png", "model.safetensors"] {
      #expect(
        try Data(contentsOf: first.appendingPathComponent(file))
          == Data(contentsOf: second.appendingPathComponent(file)),
        "\(file) differs between two runs of the same config")
    }
  }

  @Test func evaluatingACheckpointGivesTheSameAccuracy() throws {
    let box = try Sandbox()
    #expect(try box.classify(["--epochs", "1", "--train-limit", "100"]).status == 0)
    let trained = try #require(box.runFolders().first)
    let outcome = try box.classify([
      "--evaluate-only", "--checkpoint", trained.appendingPathComponent("model.safetensors").path,
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let evaluated = try #require(box.runFolders().last)
    func accuracy(_ run: URL) throws -> Double? {
      let summary =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
      return summary?["test_accuracy"] as? Double
    }
    #expect(try accuracy(evaluated) == accuracy(trained))
  }

  @Test func dataListsWhereEachSplitWasFound() throws {
    let box = try Sandbox()
    let outcome = try BinaryRunner.run(
      ["data", "--data-dir", box.data.path], environment: box.environment)
    #expect(outcome.status == 0)
    #expect(
      outcome.standardOutput.contains("train     300 images 28×28  data folder \(box.data.path)"))
    #expect(
      outcome.standardOutput.contains("test      100 images 28×28  data folder \(box.data.path)"))
  }

  /// Bad input: one line on standard error, a non-zero exit, and no run folder.
  @Test(arguments: [
    (["--epochs", "0"], "error: epochs must be at least 1, got 0"),
    (["--evaluate-only"], "error: --evaluate-only needs --checkpoint FILE"),
    (
      ["--config", "/nonexistent.yaml"],
      "error: cannot read config /nonexistent.yaml: no such file"
    ),
    (["--config", "@typo"], "unknown key 'epoch'"),
    (["--evaluate-only", "--checkpoint", "@corrupt"], "invalid safetensors"),
    (
      ["--evaluate-only", "--checkpoint", "@corrupt", "--init-from", "/tmp"],
      "--evaluate-only trains nothing: drop one"
    ),
    (
      ["--data-dir", "/nonexistent-data"],
      "error: the data folder /nonexistent-data (--data-dir or PLAYGROUND_DATA) is not a readable folder"
    ),
  ])
  func badInputIsOneClearLine(_ arguments: [String], _ expected: String) throws {
    let box = try Sandbox()
    let typo = box.root.appendingPathComponent("typo.yaml")
    try Data("epochs: 1\nepoch: 2\n".utf8).write(to: typo)
    let corrupt = box.root.appendingPathComponent("corrupt.safetensors")
    try Data([9, 0, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: corrupt)
    let resolved = arguments.map {
      $0 == "@typo" ? typo.path : $0 == "@corrupt" ? corrupt.path : $0
    }
    let outcome = try box.classify(resolved)
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(box.runFolders().isEmpty)
    let leftovers =
      (try? FileManager.default.contentsOfDirectory(
        atPath: box.outputs.appendingPathComponent("classify-mnist").path)) ?? []
    #expect(leftovers.isEmpty, "left in outputs: \(leftovers)")
  }
}

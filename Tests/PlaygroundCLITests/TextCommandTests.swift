import Foundation
import TestSupport
import Testing

/// `playground text` with the release binary, on a small corpus of its own.
@Suite(.onEveryBackend) struct TextCommandTests {
  final class Sandbox {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID())")
    var outputs: URL { root.appendingPathComponent("outputs") }
    var corpus: URL { root.appendingPathComponent("words.txt") }

    init() throws {
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      let (starts, middles, ends) = (
        ["mc", "o", "van", "de"], ["kay", "lan", "ner", "son", "ton"], ["", "e", "s"]
      )
      let words: [String] = (0..<300).map { (k: Int) -> String in
        starts[k % 4] + middles[k % 5] + ends[k % 3]
      }
      try (words.joined(separator: "\n") + "\n").write(
        to: corpus, atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(at: root) }

    func text(_ arguments: [String]) throws -> BinaryRunner.Outcome {
      try BinaryRunner.run(["text"] + arguments + ["--output-dir", outputs.path, "--quiet"])
    }
  }

  @Test func aRunWritesEveryFileAndItsModelSamples() throws {
    let box = try Sandbox()
    let outcome = try box.text([
      "names", "--data", box.corpus.path, "--epochs", "40", "--seed", "1",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let run = box.outputs.appendingPathComponent("text-words/latest").resolvingSymlinksInPath()
    let files = try EventRecords.names(in: run)
    #expect(
      files == [
        "config.yaml", "events.out.tfevents.*", "learning_curve.png", "metrics.csv",
        "model.safetensors", "report.html", "samples.txt", "summary.json",
      ])
    let metrics = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
    #expect(metrics.split(separator: "\n").count == 41, "\(metrics)")
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
    let valid = try #require(summary?["valid_nats_per_char"] as? Double)
    let floor = try #require(summary?["bigram_nats_per_char"] as? Double)
    #expect(valid < floor, "validation \(valid) vs bigram \(floor)")
    let sampled = try BinaryRunner.run([
      "text", "sample", "--checkpoint", run.appendingPathComponent("model.safetensors").path,
      "--count", "7", "--prefix", "MC", "--seed", "4",
    ])
    #expect(sampled.status == 0, "\(sampled.standardError)")
    let lines = sampled.standardOutput.split(separator: "\n")
    #expect(lines.count == 7 && lines.allSatisfy { $0.hasPrefix("mc") }, "\(lines)")
  }

  @Test(arguments: [
    (["names", "--data", "/nonexistent/words.txt"], "words.txt: no such file"),
    (["names", "--model", "transformer"], "transformer"),
    (["names", "--minutes", "-1"], "minutes must be 0 (no limit) or positive"),
    (["sample", "--checkpoint", "/nonexistent.safetensors"], "error:"),
  ])
  func badInputIsOneClearLine(_ arguments: [String], _ expected: String) throws {
    let box = try Sandbox()
    let outcome = try box.text(arguments)
    #expect(outcome.status != 0)
    let lines = outcome.standardError.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].contains(expected), "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }

  /// Settings within every cap whose training would not fit in memory are refused before the
  /// model is built, with the estimate and what to lower.
  @Test func aModelTooBigForTheMachineIsRefused() throws {
    let box = try Sandbox()
    let config = box.root.appendingPathComponent("huge.yaml")
    try "hidden_units: 4096\nbatch_size: 65536\n".write(
      to: config, atomically: true, encoding: .utf8)
    let outcome = try box.text(["names", "--data", box.corpus.path, "--config", config.path])
    #expect(outcome.status == 1)
    #expect(
      outcome.standardError.hasPrefix("error: this lstm model on items of up to ")
        && outcome.standardError.contains(
          "lower batch_size, hidden_units or embedding_size"),
      "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }

  /// A learning rate that blows the loss up stops the run with one line saying what to lower;
  /// the run is kept with status diverged, its metrics up to there and its last finite model.
  @Test func aDivergingRunStopsWithAClearMessage() throws {
    let box = try Sandbox()
    let config = box.root.appendingPathComponent("wild.yaml")
    try "learning_rate: 1.0e+37\nmax_gradient_norm: 0\n".write(
      to: config, atomically: true, encoding: .utf8)
    let outcome = try box.text([
      "names", "--data", box.corpus.path, "--config", config.path, "--epochs", "5",
    ])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains("training diverged at step")
        && outcome.standardError.contains("lower learning_rate"), "\(outcome.standardError)")
    #expect(outcome.standardError.contains("(the run is kept: "))
    let run = box.outputs.appendingPathComponent("text-words/latest")
    let summary = try String(
      contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("\"status\" : \"diverged\""), "\(summary)")
    #expect(summary.contains("training diverged at step"))
    let files = try FileManager.default.contentsOfDirectory(atPath: run.path)
    #expect(files.contains("config.yaml") && files.contains("report.html"), "\(files)")
    let hidden = try FileManager.default.contentsOfDirectory(
      atPath: box.outputs.appendingPathComponent("text-words").path)
    #expect(!hidden.contains { $0.hasSuffix(".partial") }, "\(hidden)")
  }
}

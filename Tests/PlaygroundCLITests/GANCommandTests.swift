import Foundation
import TestSupport
import Testing

/// `playground gan` on the small data folder of the classify tests.
@Suite(.onEveryBackend) struct GANCommandTests {
  @Test func aTinyRunWritesEveryFileRepeatsExactlyAndSamples() throws {
    let box = try ClassifyCommandTests.Sandbox()
    func train() throws -> URL {
      let outcome = try BinaryRunner.run(
        [
          "gan", "mnist", "--epochs", "2", "--data-dir", box.data.path, "--output-dir",
          box.outputs.path, "--quiet", "--seed", "4",
        ],
        environment: box.environment)
      #expect(outcome.status == 0, "\(outcome.standardError)")
      let scenario = box.outputs.appendingPathComponent("gan-mnist")
      let runs = try FileManager.default.contentsOfDirectory(atPath: scenario.path).filter {
        $0 != "latest"
      }.sorted()
      return scenario.appendingPathComponent(runs.last!)
    }
    let first = try train()
    let second = try train()
    #expect(first != second)
    let files = try EventRecords.names(in: first)
    #expect(
      files == [
        "config.yaml", "discriminator.safetensors", "events.out.tfevents.*",
        "generator.safetensors", "interpolation.png", "losses.png", "metrics.csv", "progress.png",
        "report.html", "samples", "summary.json",
      ])
    let samples = try FileManager.default.contentsOfDirectory(
      atPath: first.appendingPathComponent("samples").path
    ).sorted()
    #expect(samples == ["epoch-001.png", "epoch-002.png", "final.png"])
    for file in [
      "samples/epoch-001.png", "samples/final.png", "metrics.csv", "generator.safetensors",
    ] {
      #expect(
        try Data(contentsOf: first.appendingPathComponent(file))
          == Data(contentsOf: second.appendingPathComponent(file)), "\(file)")
    }
    let output = box.root.appendingPathComponent("sevens.png")
    let sample = try BinaryRunner.run([
      "gan", "sample", "--checkpoint", first.appendingPathComponent("generator.safetensors").path,
      "--digit", "7",
      "--count", "20", "--output", output.path,
    ])
    #expect(sample.status == 0, "\(sample.standardError)")
    #expect(FileManager.default.fileExists(atPath: output.path))
    // --plain: the images at their size, 10 to a row, no gutters (what `gan score` cuts up).
    let plain = box.root.appendingPathComponent("plain.png")
    let plainSample = try BinaryRunner.run([
      "gan", "sample", "--checkpoint", first.appendingPathComponent("generator.safetensors").path,
      "--count", "20", "--plain", "--output", plain.path,
    ])
    #expect(plainSample.status == 0, "\(plainSample.standardError)")
    let header = try [UInt8](Data(contentsOf: plain).prefix(24))
    let size = [16, 20].map { header[$0..<($0 + 4)].reduce(0) { $0 << 8 | Int($1) } }
    #expect(size == [280, 56])
  }

  @Test func aCorruptCheckpointIsOneClearLine() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("g.safetensors")
    try Data([1, 2, 3]).write(to: file)
    let outcome = try BinaryRunner.run(["gan", "sample", "--checkpoint", file.path])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains("invalid safetensors")
        && outcome.standardError.split(separator: "\n").count == 1)
  }

  /// Ctrl-C (SIGINT) during training saves the run as interrupted; `--resume` finishes it.
  @Test func controlCSavesACheckpointAndResumeFinishes() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let (process, errors) = try BinaryRunner.start(
      [
        "gan", "mnist", "--model", "mlp", "--epochs", "500", "--data-dir", box.data.path,
        "--output-dir", box.outputs.path, "--quiet",
      ], environment: box.environment)
    // Ready: the run has finished its first epoch (it is in its training loop); then Ctrl-C.
    let scenario = box.outputs.appendingPathComponent("gan-mnist")
    waitUntil(timeout: 120) {
      !process.isRunning
        || runsInProgress(scenario).contains {
          FileManager.default.fileExists(
            atPath: $0.appendingPathComponent("samples/epoch-001.png").path)
        }
    }
    kill(process.processIdentifier, SIGINT)
    let message = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(message)")
    #expect(message.contains("continue with: playground gan --resume"), "\(message)")
    let run = scenario.appendingPathComponent("latest").resolvingSymlinksInPath()
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
    #expect(summary?["status"] as? String == "interrupted")
    #expect(
      FileManager.default.fileExists(
        atPath: run.appendingPathComponent("checkpoint/training-state.safetensors").path))
    let epochs = (summary?["epochs"] as? Int ?? 0) + 1
    let resumed = try BinaryRunner.run(
      [
        "gan", "--resume", run.path, "--epochs", String(epochs), "--quiet", "--data-dir",
        box.data.path,
      ],
      environment: box.environment)
    #expect(resumed.status == 0, "\(resumed.standardError)")
    let finished =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
    #expect(finished?["status"] as? String == "finished")
    #expect(finished?["epochs"] as? Int == epochs)
    let again = try BinaryRunner.run(["gan", "--resume", run.path], environment: box.environment)
    #expect(again.status != 0 && again.standardError.contains("start a new run instead"))
    let mixed = try BinaryRunner.run(["gan", "mnist", "--resume", run.path])
    #expect(mixed.status != 0 && mixed.standardError.contains("drop a data set"))
  }

  /// --keep-best finishes with the best scored epoch's generator and says which; gan score
  /// judges any grid of 28×28 tiles with the same judge.
  @Test func keepBestAndScoring() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let outcome = try BinaryRunner.run(
      [
        "gan", "mnist", "--model", "mlp", "--unconditional", "--keep-best", "--epochs", "3",
        "--data-dir", box.data.path, "--output-dir", box.outputs.path, "--quiet",
      ], environment: box.environment)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let run = box.outputs.appendingPathComponent("gan-mnist/latest")
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any] ?? [:]
    let best = summary["best_epoch"] as? Int ?? 0
    #expect((1...3).contains(best), "\(summary)")
    #expect(summary["final_epoch_inception_score"] is Double)
    let metrics = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    let distances = metrics.map { Double($0[4])! }
    // The best epoch has the lowest Fréchet distance, and the summary reports its scores.
    #expect(distances.firstIndex(of: distances.min()!)! + 1 == best)
    let reported = try #require(summary["frechet_distance"] as? Double)
    #expect(abs(reported - distances[best - 1]) <= 1e-3 * max(1, reported))

    // The sandbox's own test digits as a 10×10 grid of 28×28 tiles, scored like samples.
    let grid = try SyntheticDigits.grid(count: 100, seed: 2)
    let file = box.root.appendingPathComponent("grid.png")
    try grid.write(to: file)
    let scored = try BinaryRunner.run(
      ["gan", "score", file.path, "--data-dir", box.data.path], environment: box.environment)
    #expect(scored.status == 0, "\(scored.standardError)")
    #expect(
      scored.standardOutput.hasPrefix("100 images: Inception Score "), "\(scored.standardOutput)")
    #expect(!scored.standardOutput.contains("drawn as their label"))
    // With --rows-are-classes, the tile rows are taken as digits 0–9 and the share follows.
    let labelled = try BinaryRunner.run(
      ["gan", "score", file.path, "--rows-are-classes", "--data-dir", box.data.path],
      environment: box.environment)
    #expect(labelled.status == 0, "\(labelled.standardError)")
    #expect(
      labelled.standardOutput.range(
        of: #", \d+\.\d% drawn as their label\n$"#, options: .regularExpression)
        != nil, "\(labelled.standardOutput)")
    let notAGrid = try BinaryRunner.run(
      ["gan", "score", run.appendingPathComponent("losses.png").path, "--data-dir", box.data.path],
      environment: box.environment)
    #expect(notAGrid.status != 0)
    #expect(
      notAGrid.standardError.contains("not a grid of 28×28 tiles"), "\(notAGrid.standardError)")
  }
}

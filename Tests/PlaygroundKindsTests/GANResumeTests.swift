import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundKinds
import PlaygroundRuns
import TestSupport
import Testing

/// A run stopped (as by Ctrl-C) mid-epoch and at an epoch boundary, then resumed twice, ends
/// with the same files, byte for byte, as the same seed run without a stop.
@Suite(.onEveryBackend) struct GANResumeTests {
  static func config(_ model: GANModelKind) -> GANConfig {
    var config = GANConfig()
    config.model = model
    config.epochs = 3
    config.minutes = 0
    config.batchSize = 32
    config.latentSize = 16
    config.qualityEvery = 0
    config.seed = 11
    return config
  }

  /// A quiet `gan-mnist` run into `outputs` on the synthetic digits in `data`, offline.
  static func context(_ outputs: URL, data: URL) -> RunContext {
    let sources = DataSources(
      dataDirectory: data, cacheDirectory: data.appendingPathComponent("cache"),
      allowsDownload: false)
    return RunContext(
      scenario: "gan-mnist", outputDirectory: outputs, sources: sources, quiet: true,
      say: { _ in })
  }

  /// Every model on the first backend; on the second only the DCGAN, whose convolutions are
  /// where the backends differ (resuming is the same code for all three).
  @Test(arguments: BackendPass.isRepeat ? [GANModelKind.dcgan] : [.mlp, .dcgan, .tfdcgan])
  func anInterruptedRunResumesToTheSameResults(_ model: GANModelKind) throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    func context(_ folder: String) -> RunContext {
      Self.context(data.appendingPathComponent(folder), data: data)
    }
    let whole = GANRun(config: Self.config(model))
    let reference = try whole.run(in: context("whole"))

    // 300 images in batches of 32: 9 steps an epoch. Stop at step 13 (epoch 2, batch 4), then
    // after 5 more (the boundary of epoch 3), then finish.
    var stopped = whole
    stopped.interruptAfterSteps = 13
    #expect(throws: RunInterrupted.self) { try stopped.run(in: context("stopped")) }
    let scenario = data.appendingPathComponent("stopped/gan-mnist")
    let run = scenario.appendingPathComponent("latest").resolvingSymlinksInPath()
    let interrupted = try Summary.read(run.appendingPathComponent("summary.json"))
    #expect(interrupted["status"] as? String == "interrupted")
    #expect(interrupted["steps"] as? Int == 13)
    #expect(throws: RunInterrupted.self) {
      try GANRun.resume(
        run, in: context("stopped"), epochs: nil, minutes: nil, interruptAfterSteps: 5)
    }
    #expect(try Summary.read(run.appendingPathComponent("summary.json"))["steps"] as? Int == 18)
    // As if a kill had stopped the resumed run while it was back in staging: still found.
    let staging = run.deletingLastPathComponent().appendingPathComponent(
      ".\(run.lastPathComponent).partial")
    try FileManager.default.moveItem(at: run, to: staging)
    _ = try GANRun.resume(run, in: context("stopped"))

    for file in [
      "metrics.csv", "samples/epoch-001.png", "samples/epoch-002.png", "samples/epoch-003.png",
      "samples/final.png", "progress.png", "losses.png", "interpolation.png",
      "generator.safetensors", "discriminator.safetensors", "config.yaml",
    ] {
      #expect(
        try Data(contentsOf: reference.appendingPathComponent(file))
          == Data(contentsOf: run.appendingPathComponent(file)), "\(model) \(file)")
    }
    let summary = try Summary.read(run.appendingPathComponent("summary.json"))
    #expect(summary["status"] as? String == "finished")
    #expect(summary["steps"] as? Int == 27)
    #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoint").path))
    // Nothing left to resume now.
    #expect(throws: RunError.self) { try GANRun.resume(run, in: context("stopped")) }
  }

  @Test func aCorruptTrainingStateIsAClearErrorAndLeavesTheRunInPlace() throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    let context = Self.context(data.appendingPathComponent("runs"), data: data)
    var job = GANRun(config: Self.config(.mlp))
    job.interruptAfterSteps = 4
    #expect(throws: RunInterrupted.self) { try job.run(in: context) }
    let run = data.appendingPathComponent("runs/gan-mnist/latest").resolvingSymlinksInPath()
    let state = run.appendingPathComponent("checkpoint/training-state.safetensors")
    var bytes = try Data(contentsOf: state)
    bytes.removeLast(100)
    try bytes.write(to: state)
    #expect(throws: SafeTensorsError.self) {
      try GANRun.resume(run, in: context)
    }
    #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("config.yaml").path))
  }
}

/// A run is resumed only on the images it trained on.
@Suite(.onEveryBackend) struct GANResumeDataTests {
  @Test func resumingOnOtherImagesIsRefusedAndTheRunKeptAsItWas() throws {
    let data = try SyntheticDigits.folder()
    let other = try SyntheticDigits.folder(seed: 99)
    defer {
      try? FileManager.default.removeItem(at: data)
      try? FileManager.default.removeItem(at: other)
    }
    func context(_ folder: URL) -> RunContext {
      RunContext(
        scenario: "gan-mnist", outputDirectory: data.appendingPathComponent("runs"),
        sources: DataSources(
          dataDirectory: folder, cacheDirectory: folder.appendingPathComponent("cache"),
          allowsDownload: false),
        quiet: true, say: { _ in })
    }
    var job = GANRun(config: GANResumeTests.config(.mlp))
    job.interruptAfterSteps = 4
    #expect(throws: RunInterrupted.self) { try job.run(in: context(data)) }
    let run = data.appendingPathComponent("runs/gan-mnist/latest").resolvingSymlinksInPath()
    let state = run.appendingPathComponent("checkpoint/training-state.safetensors")
    let before = try Data(contentsOf: state)
    do {
      _ = try GANRun.resume(run, in: context(other))
      Issue.record("resumed on other images")
    } catch let error as RunError {
      #expect(error.description.contains("the run trained on other images"), "\(error)")
      #expect(error.description.contains("the same --data-dir"))
    }
    #expect(try Data(contentsOf: state) == before)
    // On its own images it continues.
    let resumed = try GANRun.resume(run, in: context(data))
    #expect(resumed == run)
  }
}

import Foundation
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundRuns
import TestSupport
import Testing

/// A run stopped (as by Ctrl-C) mid-epoch and at an epoch boundary, then resumed twice, ends
/// with the same files, byte for byte, as the same seed run without a stop.
@Suite struct GANResumeTests {
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

  @Test(arguments: [GANModelKind.mlp, .dcgan, .tfdcgan])
  func anInterruptedRunResumesToTheSameResults(_ model: GANModelKind) throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    let sources = DataSources(
      dataDirectory: data, cacheDirectory: data.appendingPathComponent("cache"),
      allowsDownload: false)
    let silent: (String) -> Void = { _ in }
    var whole = GANRun(
      config: Self.config(model), sources: sources,
      outputDirectory: data.appendingPathComponent("whole"))
    whole.quiet = true
    let reference = try whole.run(print: silent).finalURL

    // 300 images in batches of 32: 9 steps an epoch. Stop at step 13 (epoch 2, batch 4), then
    // after 5 more (the boundary of epoch 3), then finish.
    var stopped = whole
    stopped.outputDirectory = data.appendingPathComponent("stopped")
    stopped.interruptAfterSteps = 13
    #expect(throws: RunInterrupted.self) { try stopped.run(print: silent) }
    let scenario = stopped.outputDirectory.appendingPathComponent(stopped.scenario)
    let run = scenario.appendingPathComponent("latest").resolvingSymlinksInPath()
    let interrupted = try Summary.read(run.appendingPathComponent("summary.json"))
    #expect(interrupted["status"] as? String == "interrupted")
    #expect(interrupted["steps"] as? Int == 13)
    #expect(throws: RunInterrupted.self) {
      try GANRun.resume(run, sources: sources, quiet: true, interruptAfterSteps: 5, print: silent)
    }
    #expect(try Summary.read(run.appendingPathComponent("summary.json"))["steps"] as? Int == 18)
    try GANRun.resume(run, sources: sources, quiet: true, print: silent)

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
    #expect(throws: RunError.self) { try GANRun.resume(run, sources: sources, print: silent) }
  }

  @Test func aCorruptTrainingStateIsAClearErrorAndLeavesTheRunInPlace() throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    let sources = DataSources(
      dataDirectory: data, cacheDirectory: data.appendingPathComponent("cache"),
      allowsDownload: false)
    var job = GANRun(
      config: Self.config(.mlp), sources: sources,
      outputDirectory: data.appendingPathComponent("runs"))
    job.quiet = true
    job.interruptAfterSteps = 4
    #expect(throws: RunInterrupted.self) { try job.run(print: { _ in }) }
    let run = job.outputDirectory.appendingPathComponent(job.scenario).appendingPathComponent(
      "latest"
    ).resolvingSymlinksInPath()
    let state = run.appendingPathComponent("checkpoint/training-state.safetensors")
    var bytes = try Data(contentsOf: state)
    bytes.removeLast(100)
    try bytes.write(to: state)
    #expect(throws: SafeTensorsError.self) {
      try GANRun.resume(run, sources: sources, quiet: true, print: { _ in })
    }
    #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("config.yaml").path))
  }
}

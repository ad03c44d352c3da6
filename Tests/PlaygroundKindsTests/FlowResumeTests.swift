import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundKinds
import PlaygroundRuns
import TestSupport
import Testing

/// A flow run stopped (as by Ctrl-C) mid-epoch, then resumed, ends with the same files, byte
/// for byte, as the same seed run without a stop; a saved model samples again.
@Suite(.onEveryBackend) struct FlowResumeTests {
  static var config: FlowConfig {
    var config = FlowConfig()
    config.widths = [8, 8, 16]
    config.embeddingSize = 16
    config.epochs = 2
    config.minutes = 0
    config.batchSize = 32
    config.qualityEvery = 0
    config.sampleSteps = 3
    config.seed = 11
    return config
  }

  static func context(_ outputs: URL, data: URL) -> RunContext {
    let sources = DataSources(
      dataDirectory: data, cacheDirectory: data.appendingPathComponent("cache"),
      allowsDownload: false)
    return RunContext(
      scenario: "flow-mnist", outputDirectory: outputs, sources: sources, quiet: true,
      say: { _ in })
  }

  @Test func anInterruptedRunResumesToTheSameResults() throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    func context(_ folder: String) -> RunContext {
      Self.context(data.appendingPathComponent(folder), data: data)
    }
    var whole = FlowRun(config: Self.config)
    whole.saveEverySeconds = 0
    let reference = try whole.run(in: context("whole"))

    // 300 images in batches of 32: 9 steps an epoch. Stop at step 13 (epoch 2, batch 4).
    var stopped = whole
    stopped.interruptAfterSteps = 13
    #expect(throws: RunInterrupted.self) { try stopped.run(in: context("stopped")) }
    let run = data.appendingPathComponent("stopped/flow-mnist/latest").resolvingSymlinksInPath()
    let interrupted = try Summary.read(run.appendingPathComponent("summary.json"))
    #expect(interrupted["status"] as? String == "interrupted")
    #expect(interrupted["steps"] as? Int == 13)
    _ = try FlowRun.resume(run, in: context("stopped"))
    for file in [
      "metrics.csv", "samples/epoch-001.png", "samples/epoch-002.png", "samples/final.png",
      "trajectory.png", "progress.png", "losses.png", "network.safetensors", "ema.safetensors",
      "config.yaml",
    ] {
      #expect(
        try Data(contentsOf: reference.appendingPathComponent(file))
          == Data(contentsOf: run.appendingPathComponent(file)), "\(file)")
    }
    let summary = try Summary.read(run.appendingPathComponent("summary.json"))
    #expect(summary["status"] as? String == "finished")
    #expect(summary["steps"] as? Int == 18)
    #expect(throws: RunError.self) { try FlowRun.resume(run, in: context("stopped")) }

    // The averaged weights sample again, the same sheet for the same seed; a digit out of
    // range and a file that is not a flow model are one-line errors.
    let ema = run.appendingPathComponent("ema.safetensors")
    func sheet(_ digit: Int?) throws -> [UInt8] {
      try FlowSampling.sample(
        checkpoint: ema, count: 20, digit: digit, steps: 2, method: .heun, guidance: 2, seed: 3
      ).pixels
    }
    #expect(try sheet(4) == sheet(4))
    #expect(try sheet(4) != sheet(5))
    // Plain: the images at their size, 10 to a row, no gutters (what `gan score` cuts up).
    let plain = try FlowSampling.sample(
      checkpoint: ema, count: 20, digit: 4, steps: 2, method: .heun, guidance: 2, seed: 3,
      plain: true)
    #expect((plain.width, plain.height) == (280, 56))
    #expect(throws: RunError.self) { try sheet(10) }
    #expect(throws: (any Error).self) {
      try FlowSampling.sample(
        checkpoint: run.appendingPathComponent("metrics.csv"), count: 1, digit: nil, steps: nil,
        method: nil, guidance: nil, seed: 0)
    }
  }
}

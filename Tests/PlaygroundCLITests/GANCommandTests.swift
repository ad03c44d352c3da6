import Foundation
import Testing

/// `playground gan` on the small data folder of the classify tests.
@Suite struct GANCommandTests {
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
    let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
    #expect(
      files == [
        "config.yaml", "discriminator.safetensors", "generator.safetensors", "interpolation.png",
        "losses.png", "metrics.csv", "progress.png", "samples", "summary.json",
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
}

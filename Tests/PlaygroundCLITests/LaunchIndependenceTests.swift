import Foundation
import Testing
import TestSupport

/// A run's bytes do not depend on how it was launched: a sweep's run (two at a time, or one at
/// a time) equals, file for file, the run of its own `config.yaml` alone, which records the
/// backend and thread count it used. One case per kind that computes with tensors.
@Suite(.onOneBackend) struct LaunchIndependenceTests {
  struct Kind: Sendable, CustomTestStringConvertible {
    let name: String
    /// The scenario, with `DATA` standing for the sandbox's text corpus.
    let scenario: String
    /// The command that reruns a run alone from its `config.yaml` (appended).
    let rerun: [String]
    var testDescription: String { name }
  }

  static let kinds = [
    Kind(
      name: "classify",
      scenario: """
        kind: classify
        dataset: mnist
        agent: cnn
        overrides: {epochs: 1, train_limit: 200, batch_size: 16}
        seeds: [0, 1]
        """, rerun: ["classify", "mnist"]),
    Kind(
      name: "cartpole-dqn",
      scenario: """
        kind: rl
        environment: cartpole
        agent: dqn
        overrides: {total_steps: 1500, learning_starts: 200, evaluation_interval: 500, evaluation_episodes: 3}
        seeds: [0, 1]
        """, rerun: ["rl", "cartpole"]),
    Kind(
      name: "gan",
      scenario: """
        kind: gan
        dataset: mnist
        agent: dcgan
        overrides: {epochs: 1, minutes: 0, quality_every: 0, batch_size: 32}
        seeds: [0, 1]
        """, rerun: ["gan", "mnist"]),
    Kind(
      name: "text",
      scenario: """
        kind: text
        dataset: names
        agent: lstm
        overrides: {data: DATA, epochs: 2, minutes: 0, batch_size: 8}
        seeds: [0, 1]
        """, rerun: ["text", "names"]),
  ]

  @Test(arguments: kinds)
  func aSweepsRunEqualsItsConfigRunAlone(_ kind: Kind) throws {
    let box = try ClassifyCommandTests.Sandbox()
    let corpus = box.root.appendingPathComponent("names.txt")
    try "smith\njohnson\nwilliams\nbrown\njones\nmiller\ndavis\ngarcia\nrodriguez\nwilson\n"
      .write(to: corpus, atomically: true, encoding: .utf8)
    let file = box.root.appendingPathComponent("\(kind.name).yaml")
    try kind.scenario.replacingOccurrences(of: "DATA", with: corpus.path)
      .write(to: file, atomically: true, encoding: .utf8)
    func run(_ arguments: [String], into outputs: String) throws -> URL {
      let target = box.root.appendingPathComponent(outputs)
      let readsImages = arguments[0] == "run" || ["classify", "gan"].contains(arguments[0])
      let outcome = try BinaryRunner.run(
        arguments + (readsImages ? ["--data-dir", box.data.path] : []) + [
          "--output-dir", target.path, "--quiet",
        ], environment: box.environment)
      #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
      return target
    }
    let twoAtATime = try run(["run", file.path, "--jobs", "2"], into: "two")
    let oneAtATime = try run(["run", file.path, "--jobs", "1"], into: "one")
    let swept = try SlurmExecutorTests.fingerprints(
      twoAtATime.appendingPathComponent(file.deletingPathExtension().lastPathComponent))
    #expect(swept.count > 4)
    #expect(
      try SlurmExecutorTests.fingerprints(
        oneAtATime.appendingPathComponent(file.deletingPathExtension().lastPathComponent))
        == swept, "--jobs changed the runs' bytes")

    // The second seed's run, alone, from its config.yaml.
    let scenario = twoAtATime.appendingPathComponent(file.deletingPathExtension().lastPathComponent)
    let runFolder = try #require(
      FileManager.default.contentsOfDirectory(atPath: scenario.path).first {
        $0.hasSuffix("seed1")
      })
    let config = scenario.appendingPathComponent(runFolder).appendingPathComponent("config.yaml")
    let configText = try String(contentsOf: config, encoding: .utf8)
    #expect(
      configText.contains("backend: onednn\n") || configText.contains("backend: openblas\n"))
    #expect(configText.contains("threads: "))
    let alone = try run(kind.rerun + ["--config", config.path], into: "alone")
    let aloneFolder = alone.appendingPathComponent(
      try #require(FileManager.default.contentsOfDirectory(atPath: alone.path).first))
    let aloneFiles = try SlurmExecutorTests.fingerprints(aloneFolder)
    let sweptSeed1 = swept.filter { $0.key.contains("seed: 1\n") }
    #expect(!aloneFiles.isEmpty)
    #expect(
      aloneFiles == sweptSeed1,
      "the run alone differs from the sweep's: \(Set(aloneFiles.keys).symmetricDifference(sweptSeed1.keys).sorted())"
    )
  }

  /// A wrong backend or thread count is one line saying what to use, before anything runs.
  @Test(arguments: [
    (["classify", "mnist", "--threads", "5000"], [:], "threads must be 0"),
    (["classify", "mnist", "--threads=-2"], [:], "threads must be 0"),
    (["classify", "mnist", "--backend", "mkl"], [:], "mkl"),
    (["list"], ["PLAYGROUND_BACKEND": "mkl"], "PLAYGROUND_BACKEND=mkl is not a backend"),
    (["list"], ["PLAYGROUND_THREADS": "lots"], "PLAYGROUND_THREADS=lots is not a thread count"),
    (
      ["list"], ["PLAYGROUND_BACKEND": "onednn", "PLAYGROUND_DNNL_LIBRARY": "/nonexistent.so"],
      "oneDNN was not found"
    ),
  ])
  func badComputeSettingsAreOneLine(
    _ arguments: [String], _ environment: [String: String], _ expected: String
  ) throws {
    let box = try ClassifyCommandTests.Sandbox()
    let outcome = try BinaryRunner.run(
      arguments
        + (arguments[0] == "classify"
          ? ["--data-dir", box.data.path, "--output-dir", box.outputs.path] : []),
      environment: box.environment.merging(environment) { $1 })
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }
}

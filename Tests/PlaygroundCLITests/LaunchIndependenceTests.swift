import Foundation
import PlaygroundKinds
import TestSupport
import Testing

/// A run's bytes do not depend on how it was launched: a sweep's run (two at a time, or one at
/// a time) equals, file for file, the run of its own `config.yaml` alone
/// (`playground run RUN/config.yaml`), which records the backend and thread count it used. One
/// case per kind of the registry, at its smoke-test budget: a new kind is tested with no edit
/// here.
@Suite(.onOneBackend) struct LaunchIndependenceTests {
  @Test(arguments: RunKinds.all.map { $0.kind })
  func aSweepsRunEqualsItsConfigRunAlone(_ name: String) throws {
    let kind = try #require(RunKinds.kind(named: name))
    let box = try ClassifyCommandTests.Sandbox()
    let smoke = try kind.smokeTest(scratch: box.root)
    let file = box.root.appendingPathComponent("\(name).yaml")
    try Self.scenario(kind.family, smoke).write(to: file, atomically: true, encoding: .utf8)
    func run(_ arguments: [String], into outputs: String) throws -> URL {
      let target = box.root.appendingPathComponent(outputs)
      let outcome = try BinaryRunner.run(
        arguments + ["--data-dir", box.data.path, "--output-dir", target.path, "--quiet"],
        environment: box.environment)
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
    let alone = try run(["run", config.path], into: "alone")
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

  /// A scenario of the smoke test's names and overrides, seeds 0 and 1.
  static func scenario(_ family: RunFamily, _ smoke: SmokeTest) -> String {
    var lines = ["kind: \(family.rawValue)"]
    if let subject = smoke.subject { lines.append("\(family.subjectKey): \(subject)") }
    if let agent = smoke.agent { lines.append("agent: \(agent)") }
    let overrides = smoke.overrides.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    lines.append("overrides: {\(overrides.joined(separator: ", "))}")
    lines.append("seeds: [0, 1]")
    return lines.joined(separator: "\n") + "\n"
  }

  /// A wrong backend or thread count is one line saying what to use, before anything runs.
  @Test(arguments: [
    (["classify", "mnist", "--threads", "5000"], [:], "threads must be 0"),
    (["classify", "mnist", "--threads=-2"], [:], "threads must be 0"),
    (["classify", "mnist", "--backend", "mkl"], [:], "mkl"),
    (["list"], ["PLAYGROUND_BACKEND": "mkl"], "PLAYGROUND_BACKEND=mkl is not a backend"),
    (["list"], ["PLAYGROUND_THREADS": "lots"], "PLAYGROUND_THREADS=lots is not a thread count"),
    (["list"], ["PLAYGROUND_MEMORY_LIMIT": "0"], "PLAYGROUND_MEMORY_LIMIT=0 is not a size"),
    (["list"], ["PLAYGROUND_MEMORY_LIMIT": "-3"], "PLAYGROUND_MEMORY_LIMIT=-3 is not a size"),
    (["list"], ["PLAYGROUND_MEMORY_LIMIT": "two"], "PLAYGROUND_MEMORY_LIMIT=two is not a size"),
    (["list"], ["PLAYGROUND_MEMORY_LIMIT": "3 M"], "PLAYGROUND_MEMORY_LIMIT=3 M is not a size"),
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

import Foundation
import Testing

/// Bad input that used to trap, allocate without bound, or read as something else: each is one
/// clear line, a non-zero exit, and nothing left in outputs.
@Suite struct HostileInputTests {
  static func outputs() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID())")
  }

  @Test(arguments: [
    (["rl", "cartpole", "--seed", "-1"], "'-1' is invalid for '--seed"),
    (["rl", "cartpole", "--steps", "2000000000"], "total_steps must be at most 10^9"),
    (["classify", "mnist", "--epochs", "1000000"], "epochs must be at most 100000"),
    (["gan", "mnist", "--epochs", "0", "--minutes", "0"], "set epochs or minutes"),
  ])
  func settingsOutOfRangeAreOneLine(_ arguments: [String], _ expected: String) throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let outcome = try BinaryRunner.run(arguments + ["--output-dir", outputs.path])
    #expect(outcome.status != 0)
    let lines = outcome.standardError.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].contains(expected), "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: outputs.path))
  }

  /// An agent file asking for huge networks is refused before anything is allocated.
  @Test func hugeNetworksAreRefusedBeforeAllocating() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
    let agent = outputs.appendingPathComponent("huge.yaml")
    try "hidden_sizes: [100000, 100000]\n".write(to: agent, atomically: true, encoding: .utf8)
    let outcome = try BinaryRunner.run([
      "rl", "cartpole", "--agent", agent.path, "--output-dir", outputs.path,
    ])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains("widths must be at most 8192"), "\(outcome.standardError)")
  }

  /// SIGTERM (a time limit, `timeout`) ends a run like Ctrl-C: removed, exit 128 + 15.
  @Test func sigtermRemovesAnUnfinishedRun() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let (process, _) = try BinaryRunner.start([
      "rl", "gridworld", "--episodes", "100000000", "--output-dir", outputs.path, "--quiet",
    ])
    let scenario = outputs.appendingPathComponent("rl-gridworld")
    #expect(waitUntil { !runsInProgress(scenario).isEmpty })
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGTERM)
    let left = (try? FileManager.default.contentsOfDirectory(atPath: scenario.path)) ?? []
    #expect(left.isEmpty, "\(left)")
  }
}

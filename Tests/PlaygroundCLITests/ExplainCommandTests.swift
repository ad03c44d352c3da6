import Foundation
import Testing
import TestSupport

/// `playground explain RUN_DIR`: saliency maps of a classify run.
@Suite(.onEveryBackend) struct ExplainCommandTests {
  @Test func aClassifyRunIsExplainedAndIntegratedGradientsAddUp() throws {
    let box = try ClassifyCommandTests.Sandbox()
    #expect(try box.classify(["--epochs", "2", "--train-limit", "200"]).status == 0)
    let run = try #require(box.runFolders().first)
    let all = try BinaryRunner.run(
      ["explain", run.path, "--data-dir", box.data.path], environment: box.environment)
    #expect(all.status == 0, "\(all.standardError)")
    #expect(
      all.standardOutput.contains("explained → \(run.path)/saliency.png"), "\(all.standardOutput)")
    let inspect = try BinaryRunner.run(["inspect", run.appendingPathComponent("saliency.png").path])
    // 4 columns of 28×3-pixel tiles with 2-pixel gutters.
    #expect(inspect.standardOutput.contains(": PNG 346×"), "\(inspect.standardOutput.prefix(120))")
    let one = try BinaryRunner.run(
      [
        "explain", run.path, "--data-dir", box.data.path, "--image", "3", "--method", "integrated",
        "--output", box.root.appendingPathComponent("one.png").path,
      ],
      environment: box.environment)
    #expect(one.status == 0, "\(one.standardError)")
    let line = try #require(
      one.standardOutput.split(separator: "\n").first { $0.contains("% apart") })
    let apart = try #require(Double(line.split(separator: " ").dropLast().last!.dropLast()))
    #expect(apart < 1, "completeness within 1%: \(line)")
  }

  /// A DQN run: its policy map over the angle × angular-velocity slice.
  @Test func aCartPoleRunIsExplainedByItsPolicyMap() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let train = try BinaryRunner.run(
      ["rl", "cartpole", "--output-dir", box.outputs.path, "--quiet", "--steps", "3000"],
      environment: box.environment)
    #expect(train.status == 0, "\(train.standardError)")
    let run = box.outputs.appendingPathComponent("rl-cartpole/latest")
    let outcome = try BinaryRunner.run(["explain", run.path], environment: box.environment)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("% of the slice"), "\(outcome.standardOutput)")
    #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("policy.png").path))
    let refused = try BinaryRunner.run(
      ["explain", run.path, "--image", "1"], environment: box.environment)
    #expect(refused.status != 0 && refused.standardError.contains("are for classify runs"))
  }

  @Test func otherFoldersAndImagesAreRefused() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let notARun = try BinaryRunner.run(["explain", box.root.path], environment: box.environment)
    #expect(
      notARun.status != 0 && notARun.standardError.contains("is not a run folder"),
      "\(notARun.standardError)")
    #expect(try box.classify(["--epochs", "1", "--train-limit", "50"]).status == 0)
    let run = try #require(box.runFolders().first)
    let far = try BinaryRunner.run(
      ["explain", run.path, "--data-dir", box.data.path, "--image", "100000"],
      environment: box.environment)
    #expect(
      far.status != 0 && far.standardError.contains("the test split has images 0–99"),
      "\(far.standardError)")
  }
}

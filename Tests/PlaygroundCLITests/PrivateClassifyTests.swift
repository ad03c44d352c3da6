import Foundation
import TestSupport
import Testing

/// `playground classify --dp`: DP-SGD through the command, with ε in the metrics and the
/// privacy in the summary, and its refusals. The gradients themselves are checked on every
/// backend in `PrivateGradientTests`.
@Suite(.onOneBackend) struct PrivateClassifyTests {
  typealias Sandbox = ClassifyCommandTests.Sandbox

  static func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
  }

  @Test func aPrivateRunRecordsEpsilonEveryEpochAndItsPrivacy() throws {
    let box = try Sandbox()
    let outcome = try box.classify([
      "--dp", "--target-epsilon", "4", "--epochs", "2", "--batch-size", "64", "--seed", "1",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardError.isEmpty, "\(outcome.standardError)")
    let run = try #require(box.runFolders().first)
    let rows = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    #expect(rows.first == ["epoch", "loss", "accuracy", "test_loss", "test_accuracy", "epsilon"])
    let epsilons = rows.dropFirst().compactMap { Double($0[5]) }
    #expect(epsilons.count == 2 && epsilons[0] < epsilons[1])
    #expect(epsilons[1] <= 4 && epsilons[1] > 3.9)
    let summary = try Self.json(run.appendingPathComponent("summary.json"))
    let privacy = try #require(summary["privacy"] as? [String: Any])
    #expect(privacy["steps"] as? Int == 10)  // ⌈300/64⌉ = 5 steps an epoch
    #expect(privacy["expected_batch_size"] as? Int == 60)
    #expect(privacy["accountant"] as? String == "rdp (Opacus 1.6)")
    #expect(abs((privacy["epsilon"] as? Double ?? 0) - epsilons[1]) < 1e-4)
    #expect((privacy["noise_multiplier"] as? Double ?? 0) > 0.5)
    let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(config.contains("model: dpcnn") && config.contains("  enabled: true"))
    #expect(config.contains("  target_epsilon: 4.0"))
    let report = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(report.contains("<h2>Privacy</h2>"))
    #expect(
      report.contains("<tr><th>noise_multiplier</th>")
        && report.contains("<tr><th>steps</th><td class=\"num\">10</td>"))
  }

  @Test func aLargeDeltaOrShuffledBatchesAreWarnedAbout() throws {
    let box = try Sandbox()
    let settings = box.root.appendingPathComponent("shuffled.yaml")
    try Data("model: dpcnn\nprivacy.poisson_sampling: false\n".utf8).write(to: settings)
    let outcome = try box.classify([
      "--dp", "--delta", "0.01", "--epochs", "1", "--config", settings.path,
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardError.contains("warning: privacy.delta 0.01 is not below 1/N = 1/300"))
    #expect(outcome.standardError.contains("warning: privacy.poisson_sampling is false"))
  }

  @Test(arguments: [
    (["--dp", "--model", "lstm"], "DP-SGD cannot train layer 1 (LSTM)"),
    (["--noise-multiplier", "1"], "add --dp"),
    (["--dp", "--noise-multiplier", "0"], "privacy.noise_multiplier must be positive (σ > 0)"),
    (["--dp", "--target-epsilon", "0.000001"], "privacy.target_epsilon: ε = 1e-06"),
  ])
  func badPrivacyIsOneClearLine(_ arguments: [String], _ expected: String) throws {
    let box = try Sandbox()
    let outcome = try box.classify(arguments + ["--epochs", "1"])
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(box.runFolders().isEmpty)
  }

  /// The bias report: per class accuracy, precision and training count, the worst class and
  /// its gap, with `class_limits` cutting a class down (in file order).
  @Test func everyRunReportsEachClassAndLimitsCutAClass() throws {
    let box = try Sandbox()
    let settings = box.root.appendingPathComponent("limits.yaml")
    try Data("class_limits: {3: 5}\nepochs: 2\n".utf8).write(to: settings)
    let outcome = try box.classify(["--config", settings.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let run = try #require(box.runFolders().first)
    let summary = try Self.json(run.appendingPathComponent("summary.json"))
    let counts = try #require(summary["per_class_train_images"] as? [Int])
    #expect(
      counts.count == 10 && counts[3] == 5 && counts.reduce(0, +) == summary["train_images"] as? Int
    )
    let accuracy = try #require(summary["per_class_accuracy"] as? [Double])
    let precision = try #require(summary["per_class_precision"] as? [Any])
    #expect(precision.count == 10)
    let worst = try #require(summary["worst_class_accuracy"] as? Double)
    #expect(worst == accuracy.filter { !$0.isNaN }.min())
    #expect(
      summary["worst_class"] as? String
        == (summary["class_names"] as? [String])?[accuracy.firstIndex(of: worst)!])
    #expect(
      abs((summary["class_accuracy_gap"] as? Double ?? -1) - (accuracy.max()! - worst)) < 1e-12)
    #expect(
      FileManager.default.fileExists(atPath: run.appendingPathComponent("per_class.png").path))
    let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(config.contains("class_limits: {3: 5}"))
  }
}

import Foundation
import Testing

/// The classifier's accuracy on the real MNIST test set, trained on the 5,000-digit subset that
/// `scripts/setup` installs. CI points `PLAYGROUND_EVAL_DATA` at the shared test set; elsewhere
/// these tests are skipped and say why.
@Suite(
  .enabled(
    if: ProcessInfo.processInfo.environment["PLAYGROUND_EVAL_DATA"].map { !$0.isEmpty } ?? false,
    "PLAYGROUND_EVAL_DATA is not set (a folder with the real MNIST test set, t10k-*-ubyte.gz)"
  ))
struct EvaluationFloorTests {
  static var testSet: String { ProcessInfo.processInfo.environment["PLAYGROUND_EVAL_DATA"] ?? "" }

  func accuracy(_ extra: [String]) throws -> Double {
    let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("floor-\(UUID())")
    defer { try? FileManager.default.removeItem(at: outputs) }
    let outcome = try BinaryRunner.run(
      ["classify", "mnist", "--data-dir", Self.testSet, "--output-dir", outputs.path, "--quiet"]
        + extra,
      environment: ["PLAYGROUND_OFFLINE": "1"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let scenario = outputs.appendingPathComponent("classify-mnist/latest/summary.json")
    let summary =
      try JSONSerialization.jsonObject(with: Data(contentsOf: scenario)) as? [String: Any]
    #expect(summary?["test_images"] as? Int == 10_000, "the test split must be the real test set")
    #expect(summary?["train_images"] as? Int == 5_000, "the training split must be the subset")
    return summary?["test_accuracy"] as? Double ?? 0
  }

  /// Keras with the same settings and data: 92.5–92.7%.
  @Test func defaultMLPReachesNinetyTwoPercent() throws {
    let value = try accuracy([])
    #expect(value >= 0.92, "MLP test accuracy \(value)")
  }

  /// Keras' LSTM(128) → Dense(10) with the same data: 92.4% after 5 epochs.
  @Test(arguments: ["lstm", "gru"])
  func recurrentModelsReadingRowsReachNinetyThreeAndAHalfPercent(_ model: String) throws {
    let value = try accuracy(["--model", model])
    #expect(value >= 0.935, "\(model) test accuracy \(value)")
  }

  @Test func cnnReachesNinetySixPercent() throws {
    let value = try accuracy(["--model", "cnn"])
    #expect(value >= 0.96, "CNN test accuracy \(value)")
  }
}

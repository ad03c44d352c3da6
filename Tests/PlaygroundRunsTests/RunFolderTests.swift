import Foundation
import PlaygroundConfig
import PlaygroundRuns
import TestSupport
import Testing

@Suite(.onOneBackend) struct RunFolderTests {
  static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "epoch", y: "loss")], headline: ["loss"])

  static func temporary() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("runs-\(UUID())")
  }

  @Test func committedRunsLandInPlaceWithALatestLink() throws {
    let outputs = Self.temporary()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    let run = try RunFolder(
      outputDirectory: outputs, scenario: "demo", seed: 7, presentation: Self.presentation,
      date: date)
    #expect(run.runID == "20270115-080000-seed7")
    try run.write("a,b\n1,2\n", to: "metrics.csv")
    try run.write(Data([1, 2]), to: "samples/epoch-001.png")
    // Nothing visible until the run is committed.
    #expect(!FileManager.default.fileExists(atPath: run.finalURL.path))
    try run.commit()
    #expect(
      FileManager.default.fileExists(
        atPath: run.finalURL.appendingPathComponent("samples/epoch-001.png").path))
    let latest = outputs.appendingPathComponent("demo/latest")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == run.runID)
    // A second run in the same second gets its own id, and becomes latest.
    let second = try RunFolder(
      outputDirectory: outputs, scenario: "demo", seed: 7, presentation: Self.presentation,
      date: date)
    #expect(second.runID == "20270115-080000-seed7-2")
    try second.commit()
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == second.runID)
  }

  @Test func discardedRunsLeaveNothing() throws {
    let outputs = Self.temporary()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let run = try RunFolder(
      outputDirectory: outputs, scenario: "demo", seed: 1, presentation: Self.presentation)
    try run.write("half", to: "metrics.csv")
    run.discard()
    let left = try FileManager.default.contentsOfDirectory(
      atPath: outputs.appendingPathComponent("demo").path)
    #expect(left.isEmpty)
  }

  @Test func unwritableOutputIsAClearError() {
    #expect {
      try RunFolder(
        outputDirectory: URL(fileURLWithPath: "/proc/none"), scenario: "demo", seed: 1,
        presentation: Self.presentation)
    } throws: { "\($0)".contains("check that --output-dir is a writable folder") }
  }

  @Test func metricsAreStableText() {
    var log = MetricsLog(columns: ["epoch", "loss"])
    log.append([1, 0.123456789])
    log.append([2, 1e-9])
    #expect(log.csv == "epoch,loss\n1,0.123457\n2,1.000000e-09\n")
  }

  @Test func progressLineLooksLikeKeras() {
    let line = ProgressLine(total: 1875, quiet: true)
    let text = line.lineForTesting(1875, metrics: [("loss", 0.29), ("accuracy", 0.92)])
    #expect(text.hasPrefix("1875/1875 [==============================] - "))
    #expect(text.hasSuffix("/step - loss: 0.2900 - accuracy: 0.9200"))
    #expect(
      ProgressLine(total: 10, quiet: true).lineForTesting(5, metrics: [], final: false).contains(
        "[==============>...............] - ETA:"))
  }

  /// A run whose training diverged is kept as it is, with status diverged, instead of removed.
  @Test func aDivergedRunIsKeptWithItsMetricsAndStatus() throws {
    let outputs = Self.temporary()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let run = try RunFolder(
      outputDirectory: outputs, scenario: "demo", seed: 1, presentation: Self.presentation)
    do {
      try run.perform(config: "seed: 1\n") { folder in
        try folder.write("epoch,loss\n1,0.5\n", to: "metrics.csv")
        throw RunError.diverged(at: "epoch 2", loss: .nan, lower: "learning_rate (now 10)")
      }
      Issue.record("no error")
    } catch let diverged as RunDiverged {
      #expect(diverged.folder == run.finalURL)
      #expect(diverged.description.hasPrefix("training diverged at epoch 2: the loss is nan"))
    }
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.finalURL.appendingPathComponent("summary.json")))
      as? [String: Any]
    #expect(summary?["status"] as? String == "diverged")
    #expect((summary?["message"] as? String)?.contains("lower learning_rate") == true)
    #expect(
      try String(contentsOf: run.finalURL.appendingPathComponent("metrics.csv"), encoding: .utf8)
        == "epoch,loss\n1,0.5\n")
    // Other errors still leave nothing.
    let failing = try RunFolder(
      outputDirectory: outputs, scenario: "demo", seed: 2, presentation: Self.presentation)
    #expect(throws: RunError.self) {
      try failing.perform(config: "seed: 2\n") { _ in throw RunError("no data") }
    }
    #expect(!FileManager.default.fileExists(atPath: failing.finalURL.path))
  }
}

/// Tables with quoted fields (a study's `trials.csv` holds choices such as `[64, 64]`).
@Suite(.onOneBackend) struct CSVTableTests {
  @Test func quotedFieldsKeepTheirCommasAndQuotes() {
    let table = CSVTable(text: "trial,hidden_sizes,note\n0,\"[64, 64]\",\"say \"\"hi\"\"\"\n1,,x\n")
    #expect(table.columns == ["trial", "hidden_sizes", "note"])
    #expect(table.rows == [["0", "[64, 64]", "say \"hi\""], ["1", "", "x"]])
  }
}

/// A figure that is NaN or infinite is `null` in summary.json (JSON has no such number): a
/// finished run is never lost to its summary.
@Suite(.onOneBackend) struct SummaryJSONTests {
  @Test func nonFiniteFiguresAreNull() throws {
    var summary = Summary()
    summary["loss"] = Double.nan
    summary["best"] = -Double.infinity
    summary["nested"] = ["a": [1.5, Double.infinity]] as [String: Any]
    summary["steps"] = 3
    let object = try #require(
      try JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
    #expect(object["loss"] is NSNull)
    #expect(object["best"] is NSNull)
    #expect(((object["nested"] as? [String: Any])?["a"] as? [Any])?.last is NSNull)
    #expect(object["steps"] as? Int == 3)
  }
}

import Foundation
import PlaygroundImage
import PlaygroundRuns
import TestSupport
import Testing

@testable import PlaygroundScenarios

@Suite(.onOneBackend) struct SweepSummaryTests {
  @Test func spreadHoldsTheLastValueOfCurvesThatEndedEarly() {
    let long = LearningCurve(
      file: "eval.csv", xName: "step", yName: "r", x: [1, 2, 3], y: [1, 2, 3])
    let short = LearningCurve(file: "eval.csv", xName: "step", yName: "r", x: [1, 2], y: [3, 6])
    let spread = SweepSummary.spread([long, short])
    #expect(spread.map(\.x) == [1, 2, 3])
    #expect(spread.map(\.mean) == [2, 4, 4.5])
    #expect(spread.map(\.std) == [1, 2, 1.5])
  }

  /// A run folder with a summary whose presentation names a picture, and that picture.
  static func fakeRun(in folder: URL, figure: Double, picture: Image?) throws -> URL {
    let run = folder.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(
      at: run.appendingPathComponent("samples"), withIntermediateDirectories: true)
    try "kind: gan\n".write(
      to: run.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    let summary: [String: Any] = [
      "label_accuracy": figure, "solved": true, "train_seconds": figure * 3,
      "presentation": [
        "curves": [] as [Any], "headline": ["label_accuracy", "solved"],
        "picture": "samples/final.png",
      ],
    ]
    try JSONSerialization.data(withJSONObject: summary).write(
      to: run.appendingPathComponent("summary.json"))
    if let picture { try PNG.write(picture, to: run.appendingPathComponent("samples/final.png")) }
    return run
  }

  /// One panel per setting: its first seed's picture, the mean of its numeric figures below
  /// (true/false figures left out); nothing when no run has its picture.
  @Test func theGalleryShowsEachSettingsPictureWithItsFigures() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    defer { try? FileManager.default.removeItem(at: folder) }
    let sheet = Image(width: 60, height: 40, fill: [0, 0, 0])
    let records = try [("gan", 0.5, sheet), ("gan", 0.7, sheet), ("flow", 0.9, sheet)].map {
      label, figure, picture in
      (label, try RunRecord(Self.fakeRun(in: folder, figure: figure, picture: picture)))
    }
    let gallery = try #require(SweepGallery(records: records).render())
    // Two panels side by side, each at least as wide as its picture, with margins.
    #expect(gallery.width >= 2 * 60 + 3 * 16)
    #expect(gallery.height > 40 + 2 * 16 + 24)
    let withoutPictures = try [("gan", 0.5)].map { label, figure in
      (label, try RunRecord(Self.fakeRun(in: folder, figure: figure, picture: nil)))
    }
    #expect(SweepGallery(records: withoutPictures).render() == nil)
    #expect(
      SweepGallery.figures(
        ["label_accuracy", "solved", "train_seconds"], of: records.prefix(2).map(\.1))
        == ["label accuracy: 0.6"])
  }
}

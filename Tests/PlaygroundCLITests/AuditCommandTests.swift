import Foundation
import TestSupport
import Testing

/// `playground audit`: membership inference against a model that memorised its training images
/// (noise images with random labels: nothing to learn but the images themselves), and the
/// refusals.
@Suite(.onOneBackend) struct AuditCommandTests {
  /// `count` 28×28 images of uniform noise with labels 0–9 at random, as IDX files.
  static func writeNoise(prefix: String, count: Int, seed: UInt64, into folder: URL) throws {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1
    func next() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
    let size = [UInt8(count >> 8), UInt8(count & 0xFF)]
    var images = Data([0, 0, 8, 3, 0, 0] + size + [0, 0, 0, 28, 0, 0, 0, 28])
    var labels = Data([0, 0, 8, 1, 0, 0] + size)
    for _ in 0..<count {
      images.append(contentsOf: (0..<784).map { _ in next() })
      labels.append(next() % 10)
    }
    try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
    try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
  }

  @Test func aMemorisingModelIsToldApartAndTheReportIsWritten() throws {
    let box = try ClassifyCommandTests.Sandbox()
    try Self.writeNoise(prefix: "train", count: 300, seed: 1, into: box.data)
    try Self.writeNoise(prefix: "t10k", count: 300, seed: 2, into: box.data)
    let trained = try box.classify(["--epochs", "40"])
    #expect(trained.status == 0, "\(trained.standardError)")
    let run = try #require(box.runFolders().first)
    let outcome = try BinaryRunner.run(
      ["audit", run.path, "--data-dir", box.data.path, "--samples", "200"],
      environment: box.environment)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    // As many of each class on both sides, ≤ 200 in all (196 here: scaled down per class).
    #expect(outcome.standardOutput.contains("on 196 training images (members) and 196 test images"))
    let report =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("audit.json"))) as? [String: Any]
    let attacks = try #require(report?["attacks"] as? [String: [String: Any]])
    #expect(Set(attacks.keys) == ["loss", "modified_entropy"])
    for (name, attack) in attacks {
      #expect((attack["auc"] as? Double ?? 0) > 0.8, "\(name): \(attack)")
    }
    #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("audit.png").path))
  }

  @Test func aRunOfAnotherKindOrNoRunIsOneLine() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let missing = try BinaryRunner.run(["audit", box.root.path], environment: box.environment)
    #expect(missing.status != 0)
    #expect(missing.standardError.split(separator: "\n").count == 1, "\(missing.standardError)")
    let bad = try BinaryRunner.run(
      ["audit", box.root.path, "--samples", "0"], environment: box.environment)
    #expect(bad.standardError.contains("--samples must be 1 to 1000000, got 0"))
  }
}

import Foundation
import Testing
import TestSupport

/// `classify --init-from RUN_DIR [--freeze N]`: transfer from another run's weights.
@Suite(.onEveryBackend) struct TransferTests {
  /// The raw bytes of each tensor of a safetensors file, by name (read by hand: the header is
  /// 8 bytes of length, then JSON naming each tensor's byte range).
  static func tensors(_ url: URL) throws -> [String: Data] {
    let data = try Data(contentsOf: url)
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length))
    var tensors: [String: Data] = [:]
    for (name, value) in header as? [String: Any] ?? [:] {
      guard let offsets = (value as? [String: Any])?["data_offsets"] as? [Int] else { continue }
      tensors[name] = data.subdata(in: 8 + length + offsets[0]..<8 + length + offsets[1])
    }
    return tensors
  }

  @Test func aRunStartsFromAnothersWeightsAndKeepsTheFrozenLayers() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let tiny = ["--model", "cnn", "--epochs", "1", "--train-limit", "100"]
    #expect(try box.classify(tiny).status == 0)
    let source = try #require(box.runFolders().first)
    let outcome = try BinaryRunner.run(
      [
        "classify", "fashion", "--data-dir", box.data.path, "--output-dir", box.outputs.path,
        "--quiet", "--init-from", source.path, "--freeze", "2", "--seed", "1",
      ] + tiny,
      environment: box.environment)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let target = box.outputs.appendingPathComponent("classify-fashion/latest")
    let summary = try String(
      contentsOf: target.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(
      summary.contains(
        "\"init_from\" : \"\(source.appendingPathComponent("model.safetensors").path.replacingOccurrences(of: "/", with: "\\/"))\""
      ), "\(summary)")
    #expect(summary.contains("\"frozen_layers\" : 2"), "\(summary)")
    let before = try Self.tensors(source.appendingPathComponent("model.safetensors"))
    let after = try Self.tensors(target.appendingPathComponent("model.safetensors"))
    // The layers with weights, in order: their index in layers.<i>.
    let layers = Set(
      before.keys.compactMap { $0.split(separator: ".").dropFirst().first.flatMap { Int($0) } }
    )
    .sorted()
    #expect(layers.count == 4, "\(before.keys.sorted())")
    for name in before.keys {
      let layer = Int(name.split(separator: ".")[1])!
      if layers.prefix(2).contains(layer) {
        #expect(before[name] == after[name], "\(name) is frozen")
      } else if name.hasSuffix("weight") {
        #expect(before[name] != after[name], "\(name) trains")
      }
    }
  }

  @Test func weightsThatDoNotFitAndBadFreezesAreRefused() throws {
    let box = try ClassifyCommandTests.Sandbox()
    #expect(try box.classify(["--epochs", "1", "--train-limit", "50"]).status == 0)
    let mlp = try #require(box.runFolders().first)
    let cases: [([String], String)] = [
      (["--freeze", "1"], "freeze 1 needs init_from"),
      (
        ["--model", "cnn", "--init-from", mlp.path],
        "start from a classify run of the same model (cnn)"
      ),
      (
        ["--init-from", mlp.path, "--freeze", "2"],
        "this mlp has 2 layers with weights; freeze at most 1"
      ),
      (["--init-from", box.root.appendingPathComponent("nowhere").path], "no such file"),
      (["--init-from", box.root.path], "no model.safetensors there"),
    ]
    for (extra, expected) in cases {
      let outcome = try box.classify(["--epochs", "1", "--train-limit", "50"] + extra)
      #expect(outcome.status != 0)
      #expect(outcome.standardError.contains(expected), "\(extra): \(outcome.standardError)")
    }
    #expect(box.runFolders().count == 1, "nothing more written")
  }
}

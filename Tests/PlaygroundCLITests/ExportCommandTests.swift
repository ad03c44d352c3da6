import Foundation
import TestSupport
import Testing

/// `playground export`: a run's network as ONNX, checked in onnxruntime by `scripts/check-onnx`.
@Suite(.onEveryBackend) struct ExportCommandTests {
  /// Runs `scripts/check-onnx`; `nil` (and a note) when onnxruntime cannot be had here.
  static func checkONNX(_ model: URL, _ run: URL, data: URL? = nil) throws -> (
    status: Int32, output: String
  )? {
    try ProjectScript.check(
      "check-onnx", [model.path, run.path] + (data.map { ["--data-dir", $0.path] } ?? []),
      environment: BinaryRunner.merged(["PLAYGROUND_BINARY": BinaryRunner.binary.path]),
      skipping: "the onnxruntime comparison"
    ).map { ($0.status, $0.output) }
  }

  @Test(arguments: ["mlp", "cnn", "lstm", "gru"])
  func aClassifierIsExportedAndRunsTheSameInONNXRuntime(_ model: String) throws {
    let box = try ClassifyCommandTests.Sandbox()
    #expect(
      try box.classify(["--model", model, "--epochs", "1", "--train-limit", "100"]).status == 0)
    let run = try #require(box.runFolders().first)
    let export = try BinaryRunner.run(["export", run.path], environment: box.environment)
    #expect(export.status == 0, "\(export.standardError)")
    #expect(export.standardOutput.contains("\(model) classifier"), "\(export.standardOutput)")
    let onnx = run.appendingPathComponent("model.onnx")
    #expect(try Data(contentsOf: onnx).count > 10_000)
    guard let check = try Self.checkONNX(onnx, run, data: box.data) else { return }
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("64 test images"), "\(check.output)")
    #expect(check.output.contains("largest difference from the playground"), "\(check.output)")
  }

  /// `--int8`: the QDQ model agrees with the playground's int8 model in onnxruntime; the int8
  /// safetensors file runs in `classify --evaluate-only` with the accuracy `int8.json` reports.
  @Test(arguments: ["mlp", "cnn"])
  func anInt8ClassifierIsExportedAsQDQAndAsAPlaygroundCheckpoint(_ model: String) throws {
    let box = try ClassifyCommandTests.Sandbox()
    #expect(
      try box.classify(["--model", model, "--epochs", "1", "--train-limit", "300"]).status == 0)
    let run = try #require(box.runFolders().first)
    let data = ["--data-dir", box.data.path]
    let onnx = try BinaryRunner.run(
      ["export", run.path, "--int8"] + data, environment: box.environment)
    #expect(onnx.status == 0, "\(onnx.standardError)")
    #expect(onnx.standardOutput.contains("int8 loses"), "\(onnx.standardOutput)")
    let report = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: run.appendingPathComponent("int8.json"))) as? [String: Any])
    let sizeRatio = try #require(report["size_ratio"] as? Double)
    #expect(sizeRatio <= 0.30, "the int8 file is \(sizeRatio) of the float one")
    let int8Accuracy = try #require((report["int8"] as? [String: Any])?["test_accuracy"] as? Double)
    if let check = try Self.checkONNX(
      run.appendingPathComponent("model-int8.onnx"), run, data: box.data)
    {
      #expect(check.status == 0, "\(check.output)")
      #expect(check.output.contains("check-onnx: int8, 64 test images"), "\(check.output)")
    }
    let tensors = try BinaryRunner.run(
      ["export", run.path, "--int8", "--format", "safetensors"] + data,
      environment: box.environment)
    #expect(tensors.status == 0, "\(tensors.standardError)")
    let checkpoint = run.appendingPathComponent("model-int8.safetensors")
    let evaluated = try box.classify(["--evaluate-only", "--checkpoint", checkpoint.path])
    #expect(evaluated.status == 0, "\(evaluated.standardError)")
    let again = try #require(box.runFolders().first { $0 != run })
    let summary = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: again.appendingPathComponent("summary.json"))) as? [String: Any])
    #expect(summary["quantization"] as? String == "int8")
    #expect(abs((summary["test_accuracy"] as? Double ?? -1) - int8Accuracy) < 1e-9)
    #expect(
      FileManager.default.fileExists(
        atPath: again.appendingPathComponent("model-int8.safetensors").path))
    // An int8 checkpoint does not start training.
    let initFrom = try box.classify(["--epochs", "1", "--init-from", checkpoint.path])
    #expect(
      initFrom.status != 0 && initFrom.standardError.contains("cannot be trained further"),
      "\(initFrom.standardError)")
  }

  @Test func int8IsRefusedWhereItHasNoForm() throws {
    let box = try ClassifyCommandTests.Sandbox()
    #expect(
      try box.classify(["--model", "gru", "--epochs", "1", "--train-limit", "100"]).status == 0)
    let run = try #require(box.runFolders().first)
    let refused = try BinaryRunner.run(
      ["export", run.path, "--int8", "--data-dir", box.data.path], environment: box.environment)
    #expect(refused.status != 0, "\(refused.standardOutput)")
    #expect(
      refused.standardError.contains("--int8 quantises the mlp and cnn")
        && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
  }

  /// Trains `command` (`gan mnist …`) into the sandbox, exports the run at `folder` and checks
  /// that it says `description` and that onnxruntime agrees; returns the check's output (`nil`
  /// without onnxruntime).
  static func trainAndExport(
    _ command: [String], folder: String, description: String,
    _ box: ClassifyCommandTests.Sandbox
  ) throws -> String? {
    let train = try BinaryRunner.run(
      command + ["--data-dir", box.data.path, "--output-dir", box.outputs.path, "--quiet"],
      environment: box.environment)
    #expect(train.status == 0, "\(train.standardError)")
    let run = box.outputs.appendingPathComponent("\(folder)/latest")
    let export = try BinaryRunner.run(["export", run.path], environment: box.environment)
    #expect(export.status == 0, "\(export.standardError)")
    #expect(export.standardOutput.contains(description), "\(export.standardOutput)")
    guard let check = try Self.checkONNX(run.appendingPathComponent("model.onnx"), run) else {
      return nil
    }
    #expect(check.status == 0, "\(check.output)")
    return check.output
  }

  /// A conditional DCGAN's generator: noise and an int64 label in, an image out.
  @Test func aGANGeneratorIsExportedWithItsLabelInput() throws {
    _ = try Self.trainAndExport(
      ["gan", "mnist", "--epochs", "1"], folder: "gan-mnist",
      description: "dcgan GAN generator (conditional)", ClassifyCommandTests.Sandbox())
  }

  /// A flow run's velocity U-Net (its EMA weights): image, time and label in, velocity out —
  /// skip connections, group norm, SiLU, pooling and upsampling the same in onnxruntime.
  @Test func aFlowUNetIsExportedWithItsTimeAndLabelInputs() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let config = box.root.appendingPathComponent("flow.yaml")
    try """
    epochs: 1
    minutes: 0
    quality_every: 0
    batch_size: 64
    widths: [8, 16, 16]
    embedding_size: 16
    groups: 4
    sample_steps: 2
    """.write(to: config, atomically: true, encoding: .utf8)
    let output = try Self.trainAndExport(
      ["flow", "mnist", "--config", config.path], folder: "flow-mnist",
      description: "flow velocity U-Net (EMA weights)", box)
    if let output { #expect(output.contains("→ outputs [1, 28, 28]"), "\(output)") }
  }

  @Test func aQNetworkIsExportedAndOthersAreRefused() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let train = try BinaryRunner.run(
      ["rl", "cartpole", "--output-dir", box.outputs.path, "--quiet", "--steps", "2000"],
      environment: box.environment)
    #expect(train.status == 0)
    let run = box.outputs.appendingPathComponent("rl-cartpole/latest")
    let file = box.root.appendingPathComponent("q.onnx")
    let export = try BinaryRunner.run(
      ["export", run.path, "--output", file.path], environment: box.environment)
    #expect(
      export.status == 0 && export.standardOutput.contains("cart-pole DQN"),
      "\(export.standardError)")
    if let check = try Self.checkONNX(file, run) { #expect(check.status == 0, "\(check.output)") }
    let tensors = try BinaryRunner.run(
      [
        "export", run.path, "--format", "safetensors", "--output",
        box.root.appendingPathComponent("q.safetensors").path,
      ],
      environment: box.environment)
    #expect(tensors.status == 0, "\(tensors.standardError)")
    let text = box.root.appendingPathComponent("names.txt")
    try "smith\njones\nbrown\nwilson\n".write(to: text, atomically: true, encoding: .utf8)
    let textRun = try BinaryRunner.run(
      [
        "text", "names", "--data", text.path, "--epochs", "1", "--minutes", "0", "--output-dir",
        box.outputs.path, "--quiet",
      ],
      environment: box.environment)
    #expect(textRun.status == 0, "\(textRun.standardError)")
    let refused = try BinaryRunner.run(
      ["export", box.outputs.appendingPathComponent("text-names/latest").path],
      environment: box.environment)
    #expect(
      refused.status != 0
        && refused.standardError.contains(
          "is a text run, which has no network to export: export knows classify, cartpole-dqn, gan or flow"
        ),
      "\(refused.standardError)")
    let notARun = try BinaryRunner.run(["export", box.root.path], environment: box.environment)
    #expect(notARun.status != 0 && notARun.standardError.contains("is not a run folder"))
  }
}

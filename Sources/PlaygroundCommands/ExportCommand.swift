import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundKinds
import PlaygroundNN
import PlaygroundRuns

/// `playground export RUN_DIR`: a run's network as a file other tools load.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write a run's network as an ONNX model (or safetensors) for other runtimes; --int8 quantises it.",
    discussion: """
      Exports a classify run's model — mlp, cnn, lstm or gru — (input image [batch, 1, 28, 28], pixels scaled as the run scaled them; outputs logits and probabilities) a cart-pole DQN run's Q-network (input observation [batch, 4]; output q_values), a GAN run's generator (inputs noise [batch, latent] and, conditional, label (int64) [batch]; output image [batch, 1, 28, 28] in [-1, 1]) or a flow run's velocity U-Net with its EMA weights (inputs image [batch, 1, 28, 28], t [batch] in [0, 1] and label (int64) [batch], 10 for none; output velocity [batch, 1, 28, 28]) as ONNX (opset 17; Flatten, Gemm, Conv, ConvTranspose, MaxPool, AveragePool, Resize, BatchNormalization, group norm as InstanceNormalization, the activations, LSTM and GRU, weights named as in the checkpoints, the batch dimension symbolic, the run's config.yaml in the metadata), or as safetensors. scripts/check-onnx MODEL RUN_DIR runs the model in onnxruntime beside the playground on test images and compares their outputs.

      --int8 (classify runs of the mlp or cnn) quantises after training: int8 weights with one scale per output channel, uint8 inputs of each dense or convolution layer with one scale calibrated on 512 training images (their largest value); written as ONNX QDQ (QuantizeLinear/DequantizeLinear around Gemm and Conv) or as an int8 safetensors file the playground runs (classify --evaluate-only --checkpoint RUN_DIR/model-int8.safetensors). It compares float and int8 on the run's test split — accuracy, images/s at batch 256, file size — prints that and writes it to RUN_DIR/int8.json.

      Examples:
        playground export outputs/classify-mnist/latest
        playground export outputs/classify-mnist/latest --int8 --format safetensors
        playground export outputs/rl-cartpole/latest --output cartpole.onnx
        playground export outputs/gan-mnist/latest       # the generator
        playground export outputs/flow-mnist/latest      # the velocity U-Net
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case onnx, safetensors
  }

  @Argument(
    help: ArgumentHelp("A classify, cart-pole DQN, GAN or flow run folder.", valueName: "run-dir"))
  var runFolder: String

  @Option(help: "onnx or safetensors.")
  var format: Format = .onnx

  @Flag(help: "Quantise to int8 after training (classify runs of the mlp or cnn).")
  var int8 = false

  @Option(
    help:
      "Where to write (default: RUN_DIR/model.onnx or RUN_DIR/export.safetensors; with --int8 RUN_DIR/model-int8.onnx or RUN_DIR/model-int8.safetensors)."
  )
  var output: String?

  @OptionGroup var data: DataOptions

  /// Writes check inputs and the playground's outputs for them (scripts/check-onnx).
  @Option(help: .hidden)
  var checkData: String?

  func run() throws {
    let folder = URL(fileURLWithPath: runFolder).resolvingSymlinksInPath()
    let export = try RunExport(run: folder)
    let sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    let quantization = try int8 ? RunExport.quantized(run: folder, sources: sources) : nil
    if let checkData {
      let images = try export.checkInputs(run: folder, sources: sources, count: 64)
      try SafeTensors.write(
        export.checkData(
          count: 64, seed: 0, images: images, network: quantization?.network),
        to: OutputFile.resolve(checkData, option: "--check-data", run: folder))
      return
    }
    let name =
      (int8 ? "model-int8" : format == .onnx ? "model" : "export")
      + (format == .onnx ? ".onnx" : ".safetensors")
    let url =
      try output.map { try OutputFile.resolve($0, option: "--output", run: folder, own: [name]) }
      ?? folder.appendingPathComponent(name)
    if let quantization {
      try write(quantization, export: export, to: url, in: folder)
      return
    }
    switch format {
    case .onnx:
      try export.onnx(name: folder.lastPathComponent).write(to: url, options: .atomic)
    case .safetensors:
      try export.model.weights.save(to: url, metadata: ["playground_kind": export.kind])
    }
    print(
      "\(export.kind), \(export.model.weights.parameterCount) parameters → \(url.path) (\(Self.size(url)) bytes)"
    )
  }

  /// The int8 model to `url`, and the comparison with the float one to the terminal and
  /// `RUN_DIR/int8.json`.
  private func write(
    _ quantization: any QuantizedRun, export: RunExport, to url: URL, in folder: URL
  ) throws {
    let checkpoint = SafeTensors.encode(try quantization.checkpoint())
    switch format {
    case .onnx:
      try export.onnx(name: folder.lastPathComponent, network: quantization.network)
        .write(to: url, options: .atomic)
    case .safetensors:
      try checkpoint.write(to: url, options: .atomic)
    }
    let report = quantization.comparison(
      floatBytes: Self.size(folder.appendingPathComponent("model.safetensors")),
      int8Bytes: checkpoint.count)
    for line in report.lines { print(line) }
    let json = try JSONSerialization.data(
      withJSONObject: Summary.finite(report.json), options: [.prettyPrinted, .sortedKeys])
    try json.write(to: folder.appendingPathComponent("int8.json"), options: .atomic)
    print(
      "int8 \(export.kind) → \(url.path) (\(Self.size(url)) bytes); figures in \(folder.path)/int8.json"
    )
  }

  private static func size(_ url: URL) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
  }
}

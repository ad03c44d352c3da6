import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundKinds
import PlaygroundNN

/// `playground export RUN_DIR`: a run's network as a file other tools load.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a run's network as an ONNX model (or safetensors) for other runtimes.",
    discussion: """
      Exports a classify run's model — mlp, cnn, lstm or gru — (input image [batch, 1, 28, 28], pixels scaled as the run scaled them; outputs logits and probabilities) a cart-pole DQN run's Q-network (input observation [batch, 4]; output q_values) or a GAN run's generator (inputs noise [batch, latent] and, conditional, label (int64) [batch]; output image [batch, 1, 28, 28] in [-1, 1]) as ONNX (opset 17; Flatten, Gemm, Conv, ConvTranspose, MaxPool, BatchNormalization, the activations, LSTM and GRU, weights named as in the checkpoints, the batch dimension symbolic, the run's config.yaml in the metadata), or as safetensors. scripts/check-onnx MODEL RUN_DIR runs the model in onnxruntime beside the playground and compares their outputs.

      Examples:
        playground export outputs/classify-mnist/latest
        playground export outputs/rl-cartpole/latest --output cartpole.onnx
        playground export outputs/gan-mnist/latest       # the generator
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case onnx, safetensors
  }

  @Argument(
    help: ArgumentHelp("A classify, cart-pole DQN or GAN run folder.", valueName: "run-dir"))
  var runFolder: String

  @Option(help: "onnx or safetensors.")
  var format: Format = .onnx

  @Option(help: "Where to write (default: RUN_DIR/model.onnx or RUN_DIR/export.safetensors).")
  var output: String?

  /// Writes check inputs and the playground's outputs for them (scripts/check-onnx).
  @Option(help: .hidden)
  var checkData: String?

  func run() throws {
    let folder = URL(fileURLWithPath: runFolder).resolvingSymlinksInPath()
    let export = try RunExport(run: folder)
    if let checkData {
      try SafeTensors.write(
        export.checkData(count: 64, seed: 0),
        to: OutputFile.resolve(checkData, option: "--check-data"))
      return
    }
    let name = format == .onnx ? "model.onnx" : "export.safetensors"
    let url =
      try output.map { try OutputFile.resolve($0, option: "--output") }
      ?? folder.appendingPathComponent(name)
    switch format {
    case .onnx:
      try export.onnx(name: folder.lastPathComponent).write(to: url, options: .atomic)
    case .safetensors:
      try export.network.save(to: url, metadata: ["playground_kind": export.kind])
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    print(
      "\(export.kind), \(export.network.parameterCount) parameters → \(url.path) (\(size) bytes)")
  }
}

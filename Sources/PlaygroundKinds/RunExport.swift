import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundExport
import PlaygroundNN
import PlaygroundRandom

/// A run's network as an ONNX model (`playground export`), for every kind that is an
/// ``ExportableRun``: its ports and metadata as the kind describes them (``ExportedNetwork``), with
/// the run's `config.yaml` in the model's metadata.
public struct RunExport {
  public let network: Sequential
  public let input: ONNXExport.Port
  public let output: ONNXExport.Port
  public let softmax: String?
  /// What the network is, e.g. `cnn classifier`.
  public let kind: String
  /// A conditional GAN generator's label embedding (the model's second input, `label`).
  public let labelEmbedding: Embedding?
  let config: String
  /// The range of each input value, for check inputs.
  let inputRange: [ClosedRange<Float>]
  /// The run's settings, as its kind reads them.
  let job: any ExportableRun

  /// The network of the run at `folder`.
  /// - Throws: ``RunError`` when its kind has nothing to export, or its model is missing.
  public init(run folder: URL) throws {
    let configURL = folder.appendingPathComponent("config.yaml")
    guard let config = try? TextFile.read(configURL, what: "config") else {
      throw RunError(
        "\(folder.path) is not a run folder (it has no readable config.yaml): pass the folder of a finished run"
      )
    }
    let job = try RunKinds.job(
      ofRun: folder, as: (any ExportableRun).self,
      refusal: ", which has no network to export: export knows \(RunKinds.exportableKinds)")
    let exported = try job.exportedNetwork(run: folder)
    self.config = config
    self.job = job
    network = exported.network
    input = exported.input
    output = exported.output
    softmax = exported.softmax
    kind = exported.description
    labelEmbedding = exported.labelEmbedding
    inputRange = exported.inputRange
  }

  /// Inputs that check the export: the kind's real ones where it has them.
  public func checkInputs(run folder: URL, sources: DataSources, count: Int) throws -> Tensor? {
    try job.checkInputs(run: folder, sources: sources, count: count)
  }

  /// The int8 form of the run in `folder`.
  /// - Throws: ``RunError`` with one line when its kind has none.
  public static func quantized(run folder: URL, sources: DataSources) throws -> any QuantizedRun {
    let quantizable = try RunKinds.job(
      ofRun: folder, as: (any QuantizableRun).self,
      refusal: ": --int8 quantises \(RunKinds.quantizableKinds) runs")
    return try quantizable.quantized(run: folder, sources: sources)
  }

  private func isQuantized(_ network: Sequential) -> Bool {
    network.layers.contains { $0 is QuantizedKernel }
  }

  /// The ONNX model's bytes: of the run's network, or of `network` in its place (its int8
  /// form).
  public func onnx(name: String, network: Sequential? = nil) throws -> Data {
    do {
      return try ONNXExport.model(
        network ?? self.network, input: input, label: labelEmbedding.map { ("label", $0) },
        output: output,
        softmax: softmax, name: name,
        metadata: [("playground_config", config), ("playground_kind", kind)]
          + (isQuantized(network ?? self.network) ? [("playground_quantization", "int8")] : []))
    } catch let unsupported as ONNXExport.Unsupported {
      throw RunError("export: \(unsupported.description)")
    }
  }

  /// Inputs and the network's outputs for them: what `scripts/check-onnx` compares an ONNX
  /// runtime's outputs with. The inputs are `images` (a classifier's test images) or else
  /// `count` drawn uniformly from each value's range (seeded); `network` replaces the run's
  /// (its int8 form, whose outputs are checked with a quantisation step's tolerance).
  public func checkData(
    count: Int, seed: UInt64, images: Tensor? = nil, network: Sequential? = nil
  ) -> SafeTensors.Contents {
    let generator = RandomGenerator(seed: seed)
    let size = input.shape.reduce(1, *)
    var scalars: [Float] = []
    for _ in 0..<(images == nil ? count : 0) {
      for index in 0..<size {
        let range = inputRange[min(index, inputRange.count - 1)]
        scalars.append(
          range.lowerBound + generator.uniform() * (range.upperBound - range.lowerBound))
      }
    }
    let inputs = images ?? Tensor(shape: [count] + input.shape, scalars: scalars)
    let network = network ?? self.network
    network.setTraining(false)
    var tensors = [("input", inputs)]
    var metadata = ["input": input.name, "output": output.name]
    if isQuantized(network) { metadata["quantized"] = "int8" }
    if images != nil { metadata["inputs"] = "test images" }
    var networkInput = inputs
    if let labelEmbedding {
      let labels = (0..<inputs.shape[0]).map { _ in
        generator.integer(below: labelEmbedding.weight.shape[0])
      }
      networkInput = withoutGradient {
        Tensor.concatenate([inputs, labelEmbedding(labels)], alongAxis: 1)
      }
      tensors.append(("label", Tensor(shape: [labels.count], scalars: labels.map(Float.init))))
      metadata["label"] = "label"
    }
    let outputs = withoutGradient { network(networkInput) }
    tensors.append(("output", outputs))
    return SafeTensors.Contents(tensors: tensors, metadata: metadata)
  }
}

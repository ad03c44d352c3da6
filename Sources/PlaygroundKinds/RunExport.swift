import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundExport
import PlaygroundNN

/// A run's model as `playground export` writes it, for every kind that is an ``ExportableRun``:
/// the ``ExportedModel`` its kind describes, with the run's `config.yaml` in the ONNX model's
/// metadata.
public struct RunExport {
  /// The model, as the run's kind exports it.
  public let model: any ExportedModel
  let config: String
  /// The run's settings, as its kind reads them.
  let job: any ExportableRun

  /// What the model is, e.g. `cnn classifier`.
  public var kind: String { model.description }

  /// The model of the run at `folder`.
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
    self.model = try job.exportedNetwork(run: folder)
    self.config = config
    self.job = job
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

  /// The model, or a chain of layers' model with `network` in its place (its int8 form).
  private func model(replacing network: Sequential?) -> any ExportedModel {
    guard let network, var chain = model as? ExportedNetwork else { return model }
    chain.network = network
    return chain
  }

  /// The ONNX model's bytes: of the run's model, or of `network` in its place (its int8 form).
  public func onnx(name: String, network: Sequential? = nil) throws -> Data {
    do {
      return try model(replacing: network).onnx(
        name: name, metadata: [("playground_config", config), ("playground_kind", kind)])
    } catch let unsupported as ONNXExport.Unsupported {
      throw RunError("export: \(unsupported.description)")
    }
  }

  /// Inputs and the model's outputs for them: what `scripts/check-onnx` compares an ONNX
  /// runtime's outputs with. The inputs are `images` (a classifier's test images) or else
  /// `count` drawn by the model (seeded); `network` replaces the run's (its int8 form, whose
  /// outputs are checked with a quantisation step's tolerance).
  public func checkData(
    count: Int, seed: UInt64, images: Tensor? = nil, network: Sequential? = nil
  ) -> SafeTensors.Contents {
    model(replacing: network).checkData(count: count, seed: seed, images: images)
  }
}

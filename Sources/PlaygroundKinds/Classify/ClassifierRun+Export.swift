import Foundation
import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import PlaygroundNN
import PlaygroundRandom

extension ClassifierRun: QuantizableRun {
  /// The model — MLP, CNN, or an LSTM or GRU reading rows: input `image` `[batch, 1, 28, 28]`,
  /// pixels scaled as the run scaled them; outputs `logits` and `probabilities`.
  public func exportedNetwork(run folder: URL) throws -> any ExportedModel {
    let model = folder.appendingPathComponent("model.safetensors")
    let (rows, columns) = config.dataset.imageSize
    let classes = config.dataset.classNames.count
    let network = try ClassifierNetwork.make(
      config.model, rows: rows, columns: columns, classes: classes,
      hiddenUnits: config.hiddenUnits, generator: RandomGenerator(seed: 0))
    try network.load(SafeTensors.read(from: model), source: model.path)
    return ExportedNetwork(
      network: network, input: .init(name: "image", shape: [1, rows, columns]),
      output: .init(name: "logits", shape: [classes]), softmax: "probabilities",
      description: "\(config.model.rawValue) classifier",
      inputRange: [config.inputRange])
  }

  /// The first `count` test images, as the run fed them.
  public func checkInputs(run folder: URL, sources: DataSources, count: Int) throws -> Tensor? {
    try ClassifierQuantization.testImages(run: folder, sources: sources, count: count)
  }

  public func quantized(run folder: URL, sources: DataSources) throws -> any QuantizedRun {
    try ClassifierQuantization(run: folder, sources: sources)
  }
}

extension ClassifierQuantization: QuantizedRun {
  public var network: Sequential { quantized.network }

  public func comparison(floatBytes: Int, int8Bytes: Int) -> (lines: [String], json: [String: Any])
  {
    let report = report(floatBytes: floatBytes, int8Bytes: int8Bytes)
    return (report.lines, report.json)
  }
}

import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundExport
import PlaygroundGenerative
import PlaygroundNN
import PlaygroundRandom

/// A run's network as an ONNX model (`playground export`): a classify run's model — MLP, CNN,
/// LSTM or GRU reading rows — (input
/// `image` `[batch, 1, 28, 28]`, pixels scaled as the run scaled them; outputs `logits` and
/// `probabilities`) or a cart-pole DQN run's Q-network (input `observation` `[batch, 4]`, output
/// `q_values`) or a GAN run's generator (input `noise` `[batch, latent]` and, conditional, `label`
/// (int64) `[batch]`; output `image` `[batch, 1, 28, 28]` in [−1, 1]), with the run's
/// `config.yaml` in the model's metadata.
public struct RunExport {
  public let network: Sequential
  public let input: ONNXExport.Port
  public let output: ONNXExport.Port
  public let softmax: String?
  public let kind: String
  /// A conditional GAN generator's label embedding (the model's second input, `label`).
  public let labelEmbedding: Embedding?
  let config: String
  /// The range of each input value, for check inputs.
  let inputRange: [ClosedRange<Float>]

  /// The network of the run at `folder`.
  /// - Throws: ``RunError`` when it is not a run this export knows, or its model is missing.
  public init(run folder: URL) throws {
    let configURL = folder.appendingPathComponent("config.yaml")
    let generatorURL = folder.appendingPathComponent("generator.safetensors")
    let model = folder.appendingPathComponent("model.safetensors")
    guard let config = try? String(contentsOf: configURL, encoding: .utf8),
      FileManager.default.fileExists(atPath: model.path)
        || FileManager.default.fileExists(atPath: generatorURL.path)
    else {
      throw RunError(
        "\(folder.path) is not a run folder with a model (config.yaml and model.safetensors or generator.safetensors): pass a classify, cart-pole DQN or GAN run"
      )
    }
    self.config = config
    if let job = try? GANRun(configAt: configURL) {
      let generator = GANNetworks.make(job.config, generator: RandomGenerator(seed: 0)).generator
      try generator.load(SafeTensors.read(from: generatorURL), source: generatorURL.path)
      network = generator.body
      labelEmbedding = generator.embedding
      input = .init(name: "noise", shape: [generator.latentSize])
      output = .init(name: "image", shape: [1, generator.side, generator.side])
      softmax = nil
      kind =
        "\(job.config.model.rawValue) GAN generator\(generator.embedding == nil ? "" : " (conditional)")"
      inputRange = [-3...3]
      return
    }
    labelEmbedding = nil
    if let job = try? CartPoleRun(configAt: configURL) {
      network = try CartPoleReplay.qNetwork(model, inputs: 4, outputs: 2)
      input = .init(name: "observation", shape: [4])
      output = .init(name: "q_values", shape: [2])
      softmax = nil
      kind = "cart-pole DQN"
      let limit = Float(job.environment.thetaThresholdDegrees * .pi / 180)
      let x = Float(job.environment.xThreshold)
      inputRange = [-x...x, -2...2, -limit...limit, -2...2]
      return
    }
    guard let job = try? ClassifierRun(configAt: configURL) else {
      throw RunError("\(folder.path): export knows classify, cart-pole DQN and GAN runs")
    }
    let (rows, columns) = job.config.dataset.imageSize
    let classes = job.config.dataset.classNames.count
    network = try ClassifierNetwork.make(
      job.config.model, rows: rows, columns: columns, classes: classes,
      hiddenUnits: job.config.hiddenUnits, generator: RandomGenerator(seed: 0))
    try network.load(SafeTensors.read(from: model), source: model.path)
    input = .init(name: "image", shape: [1, rows, columns])
    output = .init(name: "logits", shape: [classes])
    softmax = "probabilities"
    kind = "\(job.config.model.rawValue) classifier"
    inputRange = [0...(job.config.rawPixels ? 255 : 1)]
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

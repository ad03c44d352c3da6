import Foundation
import PlaygroundCore
import PlaygroundExport
import PlaygroundNN
import PlaygroundRandom

/// A run's network that is a chain of layers (a classifier, a Q-network, a GAN's generator) as
/// `export` writes it: the layers, the names and shapes of its ports.
public struct ExportedNetwork: ExportedModel {
  public var network: Sequential
  public var input: ONNXExport.Port
  public var output: ONNXExport.Port
  /// The name of a softmax output after `output`, for classifiers.
  public var softmax: String?
  public var description: String
  /// A conditional generator's label embedding: the model's second input, `label`.
  public var labelEmbedding: Embedding?
  /// The range of each input value (the last repeats), for drawn check inputs.
  public var inputRange: [ClosedRange<Float>]

  public init(
    network: Sequential, input: ONNXExport.Port, output: ONNXExport.Port, softmax: String? = nil,
    description: String, labelEmbedding: Embedding? = nil, inputRange: [ClosedRange<Float>]
  ) {
    self.network = network
    self.input = input
    self.output = output
    self.softmax = softmax
    self.description = description
    self.labelEmbedding = labelEmbedding
    self.inputRange = inputRange
  }

  public var weights: any Layer { network }

  /// Whether its layers are the int8 ones of `export --int8`.
  var isQuantized: Bool { network.layers.contains { $0 is QuantizedKernel } }

  public func onnx(name: String, metadata: [(String, String)]) throws -> Data {
    try ONNXExport.model(
      network, input: input, label: labelEmbedding.map { ("label", $0) }, output: output,
      softmax: softmax, name: name,
      metadata: metadata + (isQuantized ? [("playground_quantization", "int8")] : []))
  }

  /// The inputs are `images` (a classifier's test images) or else `count` drawn uniformly from
  /// each value's range; a conditional generator's labels are drawn too.
  public func checkData(count: Int, seed: UInt64, images: Tensor?) -> SafeTensors.Contents {
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
    network.setTraining(false)
    var tensors = [("input", inputs)]
    var metadata = ["input": input.name, "output": output.name]
    if isQuantized { metadata["quantized"] = "int8" }
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

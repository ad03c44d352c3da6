import Foundation
import PlaygroundCore
import PlaygroundData
import PlaygroundNN

/// The playground's own CNN classifier used as a judge of generated images (the role Inception
/// plays for the Inception Score and FID): trained once per data set and cached.
public final class DigitScorer {
  public let classifier: ImageClassifier

  init(classifier: ImageClassifier) {
    self.classifier = classifier
  }

  /// The cached scorer for `dataset`, or a new one trained (10 epochs of the `cnn` model, seed 0)
  /// on `train` and cached at `<cache>/scorers/<dataset>-cnn-<count>.safetensors`.
  public static func load(
    dataset: DatasetName, train: LabeledImages, cacheDirectory: URL,
    log: (String) -> Void = { _ in }
  ) throws -> DigitScorer {
    var config = ClassifierConfig()
    config.dataset = dataset
    config.model = .cnn
    config.epochs = 10
    let classifier = try ImageClassifier(
      config: config, rows: train.rows, columns: train.columns,
      classes: dataset.classNames.count,
      generator: RandomGenerator(seed: 0))
    let url = cacheDirectory.appendingPathComponent("scorers")
      .appendingPathComponent("\(dataset.rawValue)-cnn-\(train.count).safetensors")
    if (try? classifier.network.load(from: url)) != nil {
      return DigitScorer(classifier: classifier)
    }
    log("training the \(dataset.title) scorer (a CNN, cached in \(url.path))")
    for _ in 0..<config.epochs { classifier.trainEpoch(train) }
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try classifier.network.save(
      to: url, metadata: ["config": try config.yaml(), "format": "playground scorer"])
    return DigitScorer(classifier: classifier)
  }

  /// Class probabilities `[n, 10]` and the penultimate layer's features of images in [−1, 1]
  /// (`[n, 1, rows, columns]`).
  public func judge(_ images: Tensor) -> (probabilities: Tensor, features: Tensor) {
    let network = classifier.network
    network.setTraining(false)
    defer { network.setTraining(true) }
    // The classifier was trained on pixels in [0, 1].
    let input = images.adding(1).scaled(by: 0.5)
    return withoutGradient {
      var x = input
      for layer in network.layers.dropLast() { x = layer(x) }
      return (network.layers.last!(x).softmax(), x)
    }
  }
}

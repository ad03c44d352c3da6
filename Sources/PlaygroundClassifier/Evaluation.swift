/// How a classifier did on a labelled split.
public struct Evaluation: Sendable {
  /// Mean loss per image.
  public let loss: Double
  /// The predicted class of every image.
  public let predictions: [Int]
  /// `confusion[true][predicted]` counts.
  public let confusion: [[Int]]

  public init(loss: Double, predictions: [Int], labels: [Int], classes: Int) {
    self.loss = loss
    self.predictions = predictions
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (truth, guess) in zip(labels, predictions) { confusion[truth][guess] += 1 }
    self.confusion = confusion
  }

  public var count: Int { predictions.count }
  public var correct: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }
  /// The share classified correctly.
  public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

  /// The share of each true class classified correctly (NaN for a class with no images).
  public var perClassAccuracy: [Double] {
    confusion.indices.map { c in
      let total = confusion[c].reduce(0, +)
      return total == 0 ? .nan : Double(confusion[c][c]) / Double(total)
    }
  }

  /// Indices of the misclassified images, in order.
  public func mistakes(labels: [Int]) -> [Int] {
    predictions.indices.filter { predictions[$0] != labels[$0] }
  }
}

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

  /// Of the images predicted as each class, the share that are (NaN for a class never
  /// predicted).
  public var perClassPrecision: [Double] {
    confusion.indices.map { c in
      let predicted = confusion.indices.reduce(0) { $0 + confusion[$1][c] }
      return predicted == 0 ? .nan : Double(confusion[c][c]) / Double(predicted)
    }
  }

  /// The class with the lowest accuracy (recall) and that accuracy, and the gap from it to the
  /// best class's: the headline of a bias report. Classes without test images are left out.
  public var worstClass: (index: Int, accuracy: Double, gap: Double)? {
    let scored = perClassAccuracy.enumerated().filter { !$0.element.isNaN }
    guard let worst = scored.min(by: { $0.element < $1.element }),
      let best = scored.max(by: { $0.element < $1.element })
    else { return nil }
    return (worst.offset, worst.element, best.element - worst.element)
  }

  /// Indices of the misclassified images, in order.
  public func mistakes(labels: [Int]) -> [Int] {
    predictions.indices.filter { predictions[$0] != labels[$0] }
  }
}

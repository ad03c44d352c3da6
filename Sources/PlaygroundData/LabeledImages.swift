/// Grayscale images with one class label each, as MNIST stores them: 8-bit pixels, row-major,
/// image after image.
public struct LabeledImages: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  /// `count · rows · columns` bytes, 0 (background) to 255.
  public let pixels: [UInt8]
  /// One label per image.
  public let labels: [UInt8]

  /// - Throws: ``DataError`` when the pixel count is not `labels.count · rows · columns`.
  public init(rows: Int, columns: Int, pixels: [UInt8], labels: [UInt8]) throws {
    guard rows > 0, columns > 0, pixels.count == labels.count * rows * columns else {
      throw DataError(
        "\(pixels.count) pixels do not make \(labels.count) images of \(rows)×\(columns)")
    }
    self.rows = rows
    self.columns = columns
    self.pixels = pixels
    self.labels = labels
  }

  public var count: Int { labels.count }
  public var pixelsPerImage: Int { rows * columns }

  /// The pixels of image `index`.
  public func image(_ index: Int) -> ArraySlice<UInt8> {
    pixels[(index * pixelsPerImage)..<((index + 1) * pixelsPerImage)]
  }

  /// The images at `indices`, in that order.
  public func selecting(_ indices: [Int]) -> LabeledImages {
    var selected: [UInt8] = []
    selected.reserveCapacity(indices.count * pixelsPerImage)
    for index in indices { selected += image(index) }
    return try! LabeledImages(
      rows: rows, columns: columns, pixels: selected, labels: indices.map { labels[$0] })
  }

  /// How many images each label has, indexed by label.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: Int(labels.max() ?? 0) + 1)
    for label in labels { counts[Int(label)] += 1 }
    return counts
  }
}

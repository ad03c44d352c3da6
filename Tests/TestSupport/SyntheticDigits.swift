import Foundation
import PlaygroundImage

/// Digit-sized training data made on the spot: 28×28 images whose class is the row of a bright
/// bar (row 2·label + 3) on noise, as raw IDX files, so that data-reading runs need no download.
public enum SyntheticDigits {
  /// `count` images (784 bytes each) with labels `k % 10`.
  public static func images(count: Int, seed: Int) -> [[UInt8]] {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
    func noise() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 58)
    }
    return (0..<count).map { k in
      let label = k % 10
      var pixels: [UInt8] = []
      pixels.reserveCapacity(784)
      for y in 0..<28 {
        for _ in 0..<28 { pixels.append(y == 2 * label + 3 ? 190 + noise() : noise() * 2) }
      }
      return pixels
    }
  }

  /// Writes `<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte` into `folder`.
  public static func writeIDX(prefix: String, count: Int, seed: Int, into folder: URL) throws {
    var images = Data([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])
    images[7] = UInt8(count & 0xFF)
    images[6] = UInt8(count >> 8)
    var labels = Data([0, 0, 8, 1, 0, 0, UInt8(count >> 8), UInt8(count & 0xFF)])
    for (k, pixels) in self.images(count: count, seed: seed).enumerated() {
      images.append(contentsOf: pixels)
      labels.append(UInt8(k % 10))
    }
    try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
    try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
  }

  /// `count` images (a multiple of 10) as a PNG grid of 28×28 tiles without gutters, 10 a row.
  public static func grid(count: Int, seed: Int) throws -> Data {
    let tiles = images(count: count, seed: seed)
    let rows = count / 10
    var pixels = [UInt8](repeating: 0, count: 280 * 28 * rows)
    for (k, tile) in tiles.enumerated() {
      let (row, column) = (k / 10, k % 10)
      for y in 0..<28 {
        for x in 0..<28 { pixels[(row * 28 + y) * 280 + column * 28 + x] = tile[y * 28 + x] }
      }
    }
    return try PNG.encode(Image(width: 280, height: 28 * rows, channels: 1, pixels: pixels))
  }

  /// A fresh temporary folder holding a 300-image training split and a 100-image test split.
  /// - Parameter seed: the training images' (another seed: other images of the same shape).
  public static func folder(seed: Int = 1) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID())")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try writeIDX(prefix: "train", count: 300, seed: seed, into: root)
    try writeIDX(prefix: "t10k", count: 100, seed: 2, into: root)
    return root
  }
}

import Foundation

/// Digit-sized training data made on the spot: 28×28 images whose class is the row of a bright
/// bar (row 2·label + 3) on noise, as raw IDX files, so that data-reading runs need no download.
public enum SyntheticDigits {
  /// Writes `<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte` into `folder`.
  public static func writeIDX(prefix: String, count: Int, seed: Int, into folder: URL) throws {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
    func noise() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 58)
    }
    var images = Data([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])
    images[7] = UInt8(count & 0xFF)
    images[6] = UInt8(count >> 8)
    var labels = Data([0, 0, 8, 1, 0, 0, UInt8(count >> 8), UInt8(count & 0xFF)])
    for k in 0..<count {
      let label = k % 10
      for y in 0..<28 {
        for _ in 0..<28 { images.append(y == 2 * label + 3 ? 190 + noise() : noise() * 2) }
      }
      labels.append(UInt8(label))
    }
    try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
    try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
  }

  /// A fresh temporary folder holding a 300-image training split and a 100-image test split.
  public static func folder() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID())")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try writeIDX(prefix: "train", count: 300, seed: 1, into: root)
    try writeIDX(prefix: "t10k", count: 100, seed: 2, into: root)
    return root
  }
}

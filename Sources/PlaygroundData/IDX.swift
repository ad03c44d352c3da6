import Foundation
import PlaygroundFiles

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header — two zero
/// bytes, a type byte (`0x08`: unsigned bytes), the number of dimensions — then each dimension as
/// a big-endian 32-bit integer, then the data, row-major.
public enum IDX {
  /// Images: `idx3` unsigned bytes, `[count, rows, columns]`.
  public static let imagesMagic: UInt32 = 0x0000_0803
  /// Labels: `idx1` unsigned bytes, `[count]`.
  public static let labelsMagic: UInt32 = 0x0000_0801

  /// The dimensions and data of an IDX file of unsigned bytes.
  /// - Parameter expectedMagic: ``imagesMagic`` or ``labelsMagic``.
  public static func parse(_ data: Data, expectedMagic: UInt32) throws -> (
    dimensions: [Int], bytes: [UInt8]
  ) {
    let bytes = [UInt8](data)
    guard bytes.count >= 4 else {
      throw DataError("not an IDX file: \(bytes.count) bytes, shorter than the 4-byte magic number")
    }
    let magic = readBigEndian(bytes, at: 0)
    guard magic == expectedMagic else {
      let kind = expectedMagic == imagesMagic ? "images (idx3)" : "labels (idx1)"
      throw DataError(
        "not an IDX \(kind) file: magic number 0x\(hex(magic)), expected 0x\(hex(expectedMagic))")
    }
    let rank = Int(magic & 0xFF)
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw DataError("truncated IDX header: \(bytes.count) bytes, need \(headerSize)")
    }
    let dimensions = (0..<rank).map { Int(readBigEndian(bytes, at: 4 + 4 * $0)) }
    // Checked: four 32-bit dimensions can multiply past Int.max.
    var expected = 1
    for dimension in dimensions {
      let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
      guard !overflow else {
        throw DataError(
          "IDX header dimensions \(dimensions.map(String.init).joined(separator: "×")) are too large to hold"
        )
      }
      expected = product
    }
    let available = bytes.count - headerSize
    guard available >= expected else {
      throw DataError(
        "truncated IDX data: the header says \(dimensions.map(String.init).joined(separator: "×")) = \(expected) bytes, the file has \(available)"
      )
    }
    return (dimensions, Array(bytes[headerSize..<(headerSize + expected)]))
  }

  /// The bytes of an IDX file holding `bytes` with `dimensions`.
  public static func encode(dimensions: [Int], bytes: [UInt8]) -> Data {
    precondition(dimensions.reduce(1, *) == bytes.count, "IDX dimensions do not match the data")
    var data = Data([0, 0, 0x08, UInt8(dimensions.count)])
    for dimension in dimensions {
      withUnsafeBytes(of: UInt32(dimension).bigEndian) { data.append(contentsOf: $0) }
    }
    data.append(contentsOf: bytes)
    return data
  }

  /// Reads an images file and a labels file (each gzip'd or raw) into labelled images.
  /// - Throws: ``DataError`` naming the file: unreadable, corrupt gzip, wrong magic number,
  ///   truncated data, or image and label counts that differ.
  /// - Parameter maximumBytes: the most data either file may declare (its header is read
  ///   before the rest is decompressed); at most ``maximumBytes``.
  public static func read(
    images imagesURL: URL, labels labelsURL: URL, maximumBytes: Int = maximumBytes
  ) throws -> LabeledImages {
    let images = try parseFile(imagesURL, expectedMagic: imagesMagic, maximumBytes: maximumBytes)
    let labels = try parseFile(labelsURL, expectedMagic: labelsMagic, maximumBytes: maximumBytes)
    guard images.dimensions.count == 3 else {
      throw DataError(
        "\(imagesURL.path): images need 3 dimensions, found \(images.dimensions.count)")
    }
    guard images.dimensions[0] == labels.dimensions[0] else {
      throw DataError(
        "\(imagesURL.lastPathComponent) has \(images.dimensions[0]) images but \(labelsURL.lastPathComponent) has \(labels.dimensions[0]) labels"
      )
    }
    return try LabeledImages(
      rows: images.dimensions[1], columns: images.dimensions[2], pixels: images.bytes,
      labels: labels.bytes)
  }

  private static func parseFile(_ url: URL, expectedMagic: UInt32, maximumBytes: Int) throws
    -> (dimensions: [Int], bytes: [UInt8])
  {
    do {
      // A raw file's header is checked before the file is read, a gzip'd one's as it inflates;
      // then both are bounded by what their header declares (the largest has 1,024 bytes).
      if let header = try? UserFile.prefix(url, what: "data file", count: 1024),
        !Gzip.isCompressed(header)
      {
        try declaredSize(header, maximumBytes: maximumBytes)
      }
      let data = try Gzip.readFile(url, maximumBytes: maximumBytes + 1024) {
        try declaredSize($0, maximumBytes: maximumBytes)
      }
      try declaredSize(data, maximumBytes: maximumBytes)
      return try parse(data, expectedMagic: expectedMagic)
    } catch let error as DataError where !error.description.hasPrefix(url.path) {
      throw DataError("\(url.path): \(error.description)")
    }
  }

  /// The largest IDX data read, 2 GiB: MNIST-sized sets are far below it.
  public static let maximumBytes = 1 << 31

  /// Stops decompressing once the output passes what its header declares (or 2 GiB), so that
  /// a small file that inflates to gigabytes is refused without being held.
  public static func declaredSize(_ output: Data) throws {
    try declaredSize(output, maximumBytes: maximumBytes)
  }

  /// ``declaredSize(_:)`` with a lower bound than 2 GiB: what a run may hold in memory.
  public static func declaredSize(_ output: Data, maximumBytes limit: Int) throws {
    guard output.count >= 4 else { return }
    let rank = Int(output[output.startIndex + 3])
    guard output.count >= 4 + 4 * rank else { return }
    let bytes = [UInt8](output.prefix(4 + 4 * rank))
    var size = 1
    for k in 0..<rank {
      let (product, overflow) = size.multipliedReportingOverflow(
        by: Int(readBigEndian(bytes, at: 4 + 4 * k)))
      size = overflow ? .max : product
    }
    guard size <= min(limit, maximumBytes) else {
      let declared = size == .max ? "too many" : String(size)
      throw DataError(
        limit < maximumBytes
          ? "the IDX header declares \(declared) bytes, more than the \(UserFile.describe(bytes: limit)) a run may hold here (a fifth of its memory: PLAYGROUND_MEMORY_LIMIT, the cgroup or the machine)"
          : "the IDX header declares \(declared) bytes; at most 2 GiB are read")
    }
    guard output.count <= 4 + 4 * rank + size else {
      throw DataError(
        "the file holds more data than its header declares (\(4 + 4 * rank + size) bytes): it is damaged or not an IDX file"
      )
    }
  }

  private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
  }
}

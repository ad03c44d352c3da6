import Foundation
import PlaygroundData
import Testing
import TestSupport

/// IDX files made here, raw and gzip'd, and every way they can be broken.
@Suite(.onOneBackend) struct IDXTests {
  static let images: [UInt8] = (0..<(3 * 2 * 4)).map { UInt8($0 * 10) }
  static let labels: [UInt8] = [7, 0, 9]

  static func write(_ data: Data, _ name: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url
  }

  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test(arguments: [false, true])
  func readsImagesAndLabels(gzipped: Bool) throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var imageData = IDX.encode(dimensions: [3, 2, 4], bytes: Self.images)
    var labelData = IDX.encode(dimensions: [3], bytes: Self.labels)
    if gzipped {
      imageData = Gzip.compress(imageData)
      labelData = Gzip.compress(labelData)
      #expect(Gzip.isCompressed(imageData))
    }
    let set = try IDX.read(
      images: Self.write(imageData, "images", in: folder),
      labels: Self.write(labelData, "labels", in: folder))
    #expect(set.count == 3 && set.rows == 2 && set.columns == 4)
    #expect(set.pixels == Self.images && set.labels == Self.labels)
    #expect(Array(set.image(1)) == Array(Self.images[8..<16]))
  }

  @Test func headerIsBigEndian() {
    let data = IDX.encode(dimensions: [3, 2, 4], bytes: Self.images)
    #expect(Array(data.prefix(16)) == [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4])
  }

  static let corruptions: [(String, Data, Data, String)] = {
    let images = IDX.encode(dimensions: [3, 2, 4], bytes: IDXTests.images)
    let labels = IDX.encode(dimensions: [3], bytes: IDXTests.labels)
    return [
      ("labels as images", labels, labels, "magic number 0x00000801, expected 0x00000803"),
      ("images as labels", images, images, "magic number 0x00000803, expected 0x00000801"),
      ("tiny file", Data([0, 0]), labels, "shorter than the 4-byte magic number"),
      ("truncated header", images.prefix(10), labels, "truncated IDX header"),
      (
        "truncated data", images.prefix(images.count - 1), labels,
        "the header says 3×2×4 = 24 bytes, the file has 23"
      ),
      (
        "count mismatch", images, IDX.encode(dimensions: [2], bytes: [1, 2]),
        "has 3 images but labels has 2 labels"
      ),
      (
        "corrupt gzip", Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF]), labels,
        "gzip data is"
      ),
      ("truncated gzip", Gzip.compress(images).prefix(20), labels, "gzip data is truncated"),
    ]
  }()

  @Test(arguments: corruptions.map(\.0))
  func corruptFilesAreClearErrors(_ name: String) throws {
    let (_, imageData, labelData, expected) = Self.corruptions.first { $0.0 == name }!
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let imagesURL = try Self.write(imageData, "images", in: folder)
    let labelsURL = try Self.write(labelData, "labels", in: folder)
    #expect {
      try IDX.read(images: imagesURL, labels: labelsURL)
    } throws: { error in
      let message = (error as? DataError)?.description ?? ""
      return message.contains(expected) && !message.contains("\n")
    }
  }

  @Test func missingFileIsAnError() {
    #expect(throws: DataError.self) {
      try IDX.read(
        images: URL(fileURLWithPath: "/nonexistent/a"),
        labels: URL(fileURLWithPath: "/nonexistent/b"))
    }
  }

  @Test func gzipRoundTripAndConcatenatedMembers() throws {
    let a = Data("hello ".utf8)
    let b = Data("world".utf8)
    #expect(try Gzip.decompress(Gzip.compress(a)) == a)
    #expect(try Gzip.decompress(Gzip.compress(a) + Gzip.compress(b)) == a + b)
  }
}

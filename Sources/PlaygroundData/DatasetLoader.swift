import Foundation

/// One split of a data set, with where it came from.
public struct LoadedSplit: Sendable {
  public let images: LabeledImages
  /// Where the images were found, for messages and summaries.
  public let source: String
}

/// A data set's two splits and what the user should be told about them.
public struct LoadedDataset: Sendable {
  public let name: DatasetName
  public let train: LoadedSplit
  public let test: LoadedSplit
  /// Things worth saying on screen, e.g. that the test split was held out of the subset.
  public let notes: [String]
}

/// Finds and reads a data set's splits, each independently, from ``DataSources`` in order.
public struct DatasetLoader: Sendable {
  public let sources: DataSources
  /// The most bytes of images (or labels) one IDX file may declare: its header is read before
  /// the rest is decompressed, and a larger file is refused.
  public var maximumBytesPerFile: Int

  public init(sources: DataSources, maximumBytesPerFile: Int = IDX.maximumBytes) {
    self.sources = sources
    self.maximumBytesPerFile = maximumBytesPerFile
  }

  /// An IDX images/labels file pair and a description of where it is.
  public struct Location: Sendable {
    public let images: URL
    public let labels: URL
    public let origin: String
  }

  /// The folders searched for IDX files of `name`, with a description of each.
  public func searchFolders(for name: DatasetName) -> [(folder: URL, origin: String)] {
    var folders: [(URL, String)] = []
    if let data = sources.dataDirectory {
      // A flat folder named after another data set (…/mnist, …/fashion-mnist) is not this one's.
      if DatasetLoader.dataset(namedBy: data).map({ $0 == name }) ?? true {
        folders.append((data, "data folder \(data.path)"))
      }
      folders.append(
        (data.appendingPathComponent(name.rawValue), "data folder \(data.path)/\(name.rawValue)"))
    }
    let cache = sources.cacheDirectory.appendingPathComponent(name.rawValue)
    folders.append((cache, "cache \(cache.path)"))
    if name == .fashion {
      folders.append(
        (
          sources.debianFashionDirectory,
          "Debian's dataset-fashion-mnist (\(sources.debianFashionDirectory.path))"
        ))
    }
    return folders
  }

  /// The data set a folder's name points to: `mnist`, or any name containing `fashion`.
  static func dataset(namedBy folder: URL) -> DatasetName? {
    let name = folder.lastPathComponent.lowercased()
    if name.contains("fashion") { return .fashion }
    return name == "mnist" ? .mnist : nil
  }

  /// The first folder that holds both IDX files of `split`, gzip'd or raw.
  public func locate(_ name: DatasetName, _ split: Split) -> Location? {
    for (folder, origin) in searchFolders(for: name) {
      if let images = existing(folder, split.imagesFile),
        let labels = existing(folder, split.labelsFile)
      {
        return Location(images: images, labels: labels, origin: origin)
      }
    }
    return nil
  }

  /// The cached MNIST subset file.
  public var subsetFile: URL {
    sources.cacheDirectory.appendingPathComponent(DatasetName.mnist.rawValue)
      .appendingPathComponent(MNISTSubset.fileName)
  }

  /// A data folder the user named must exist: falling back to the cache would hide the typo.
  func checkDataDirectory() throws {
    guard let data = sources.dataDirectory else { return }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: data.path, isDirectory: &isFolder),
      isFolder.boolValue, FileManager.default.isReadableFile(atPath: data.path)
    else {
      throw DataError(
        "the data folder \(data.path) (--data-dir or PLAYGROUND_DATA) is not a readable folder: name one that holds the IDX files, or leave it out"
      )
    }
  }

  /// Reads both splits of `name`, downloading MNIST if allowed and needed.
  /// - Parameter log: receives progress lines (downloads).
  /// - Throws: ``DataError``: a corrupt file, or nothing found — then one line listing where it
  ///   looked and the command that fixes it.
  public func load(_ name: DatasetName, log: (String) -> Void = { _ in }) throws -> LoadedDataset {
    try checkDataDirectory()
    var train = locate(name, .train)
    var test = locate(name, .test)
    var downloadFailure: String?
    if name == .mnist, train == nil || test == nil {
      if sources.allowsDownload {
        do {
          try MNISTDownload.fetch(
            from: sources.mnistMirrors,
            into: sources.cacheDirectory.appendingPathComponent("mnist"), log: log)
          train = train ?? locate(name, .train)
          test = test ?? locate(name, .test)
        } catch let error as DataError {
          downloadFailure = error.description
        }
      } else {
        downloadFailure = "downloads are off"
      }
    }
    var notes: [String] = []
    let classes = name.classNames.count
    var loadedTrain = try train.map { try read($0, classes: classes) }
    var loadedTest = try test.map { try read($0, classes: classes) }
    if name == .mnist, loadedTrain == nil || loadedTest == nil,
      FileManager.default.fileExists(atPath: subsetFile.path)
    {
      let subset = try MNISTSubset.read(subsetFile)
      let origin = "the 5,000-digit MNIST subset (\(subsetFile.path))"
      if let failure = downloadFailure {
        notes.append("no full MNIST (\(failure)); using \(origin)")
      }
      if loadedTrain == nil && loadedTest == nil {
        let (trainPart, testPart) = MNISTSubset.holdOut(subset)
        loadedTrain = LoadedSplit(images: trainPart, source: origin)
        loadedTest = LoadedSplit(
          images: testPart,
          source: "\(MNISTSubset.heldOutPerClass) digits per class held out of \(origin)")
        notes.append(
          "only the subset is available: \(MNISTSubset.heldOutPerClass) digits per class are held out as the test split (\(trainPart.count) train, \(testPart.count) test)"
        )
      } else if loadedTrain == nil {
        loadedTrain = LoadedSplit(images: subset, source: origin)
      } else {
        let testPart = MNISTSubset.holdOut(subset).test
        loadedTest = LoadedSplit(
          images: testPart,
          source: "\(MNISTSubset.heldOutPerClass) digits per class held out of \(origin)")
      }
    }
    guard let loadedTrain, let loadedTest else {
      let missing = [loadedTrain == nil ? "train" : nil, loadedTest == nil ? "test" : nil]
        .compactMap { $0 }
      throw DataError(notFoundMessage(name, missing: missing, downloadFailure: downloadFailure))
    }
    return LoadedDataset(name: name, train: loadedTrain, test: loadedTest, notes: notes)
  }

  /// The split at `location`, every label one of the `classes`.
  /// - Throws: ``DataError`` naming the labels file, the image and the range of a label outside
  ///   it (a damaged file, or another data set's).
  private func read(_ location: Location, classes: Int) throws -> LoadedSplit {
    let images = try IDX.read(
      images: location.images, labels: location.labels, maximumBytes: maximumBytesPerFile)
    if let index = images.labels.firstIndex(where: { Int($0) >= classes }) {
      throw DataError(
        "\(location.labels.path): image \(index) has label \(images.labels[index]), outside 0–\(classes - 1) (\(classes) classes): the file is damaged or of another data set"
      )
    }
    return LoadedSplit(images: images, source: location.origin)
  }

  private func existing(_ folder: URL, _ file: String) -> URL? {
    for candidate in [file + ".gz", file] {
      let url = folder.appendingPathComponent(candidate)
      if FileManager.default.fileExists(atPath: url.path) { return url }
    }
    return nil
  }

  private func notFoundMessage(_ name: DatasetName, missing: [String], downloadFailure: String?)
    -> String
  {
    var looked = searchFolders(for: name).map(\.origin)
    if name == .mnist {
      looked.append("download (\(downloadFailure ?? "not tried"))")
      looked.append("the subset \(subsetFile.path)")
    }
    let fix =
      name == .mnist
      ? "run scripts/setup (it installs the 5,000-digit subset) or pass --data-dir DIR holding the IDX files"
      : "run scripts/setup (it installs Debian's dataset-fashion-mnist) or pass --data-dir DIR holding the IDX files"
    return
      "no \(name.title) \(missing.joined(separator: " or ")) split found; looked in: \(looked.joined(separator: "; ")). Fix: \(fix)"
  }
}

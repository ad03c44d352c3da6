import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The four official MNIST files, downloaded into the cache and checked against their published
/// SHA-256 sums (the values torchvision and TensorFlow check).
public enum MNISTDownload {
  public struct File: Sendable {
    public let name: String
    public let sha256: String

    public init(name: String, sha256: String) {
      self.name = name
      self.sha256 = sha256
    }
  }

  public static let files: [File] = [
    File(
      name: "train-images-idx3-ubyte.gz",
      sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    File(
      name: "train-labels-idx1-ubyte.gz",
      sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    File(
      name: "t10k-images-idx3-ubyte.gz",
      sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    File(
      name: "t10k-labels-idx1-ubyte.gz",
      sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
  ]

  /// The mirrors torchvision and TensorFlow use.
  public static let mirrors: [URL] = [
    URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!,
    URL(string: "https://storage.googleapis.com/cvdf-datasets/mnist/")!,
  ]

  /// Downloads every file that `directory` lacks from the first mirror that serves it, checks
  /// its checksum, and only then writes it (atomically) into `directory`.
  /// - Throws: ``DataError`` with the last mirror's failure; files already checked stay.
  public static func fetch(
    _ files: [File] = files, from mirrors: [URL], into directory: URL,
    log: (String) -> Void = { _ in }
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for file in files {
      let target = directory.appendingPathComponent(file.name)
      if FileManager.default.fileExists(atPath: target.path) { continue }
      var failure = "no mirror given"
      var saved = false
      for mirror in mirrors {
        let url = mirror.appendingPathComponent(file.name)
        log("downloading \(url.absoluteString)")
        do {
          let data = try get(url)
          let digest = SHA256.hexDigest(data)
          guard digest == file.sha256 else {
            failure =
              "\(url.absoluteString) has SHA-256 \(digest), expected \(file.sha256); nothing was saved"
            continue
          }
          try data.write(to: target, options: .atomic)
          saved = true
          break
        } catch let error as DataError {
          failure = error.description
        }
      }
      guard saved else { throw DataError("cannot download \(file.name): \(failure)") }
    }
  }

  /// The body of a successful HTTP GET, waiting at most `timeout` seconds.
  static func get(_ url: URL, timeout: TimeInterval = 60) throws -> Data {
    final class Outcome: @unchecked Sendable {
      var result: Result<Data, DataError> = .failure(DataError("no answer"))
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    var request = URLRequest(url: url)
    request.timeoutInterval = timeout
    // A session of its own, answering on its own queue, so that waiting here cannot block the
    // thread that would deliver the answer.
    let queue = OperationQueue()
    let session = URLSession(configuration: .ephemeral, delegate: nil, delegateQueue: queue)
    defer { session.finishTasksAndInvalidate() }
    let task = session.dataTask(with: request) { data, response, error in
      defer { done.signal() }
      if let error {
        outcome.result = .failure(DataError("\(url.absoluteString): \(error.localizedDescription)"))
      } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
        outcome.result = .failure(DataError("\(url.absoluteString): HTTP \(http.statusCode)"))
      } else {
        outcome.result = .success(data ?? Data())
      }
    }
    task.resume()
    done.wait()
    return try outcome.result.get()
  }
}

import Foundation

/// Where data sets are looked for, in order: a data folder given by the user (`--data-dir` or
/// `PLAYGROUND_DATA`), the cache (`$XDG_CACHE_HOME/playground`, by default
/// `~/.cache/playground`), Debian's `dataset-fashion-mnist` package, then for MNIST a download of
/// the official files into the cache and, offline, the 5,000-digit subset in the cache.
public struct DataSources: Sendable {
  /// IDX files in this folder or in its `<dataset>` subfolder.
  public var dataDirectory: URL?
  /// `<cache>/<dataset>/` holds downloaded IDX files and the MNIST subset.
  public var cacheDirectory: URL
  /// Debian's Fashion-MNIST IDX files.
  public var debianFashionDirectory: URL
  /// Whether MNIST may be downloaded when no IDX files are found.
  public var allowsDownload: Bool
  /// Base URLs holding the four MNIST files, tried in order.
  public var mnistMirrors: [URL]

  public init(
    dataDirectory: URL?, cacheDirectory: URL,
    debianFashionDirectory: URL = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist"),
    allowsDownload: Bool = true, mnistMirrors: [URL] = MNISTDownload.mirrors
  ) {
    self.dataDirectory = dataDirectory
    self.cacheDirectory = cacheDirectory
    self.debianFashionDirectory = debianFashionDirectory
    self.allowsDownload = allowsDownload
    self.mnistMirrors = mnistMirrors
  }

  /// The sources for this process: `dataDirectory` (from `--data-dir`) or `PLAYGROUND_DATA`;
  /// `XDG_CACHE_HOME`; `PLAYGROUND_OFFLINE=1` turns downloads off; `PLAYGROUND_MNIST_MIRROR`
  /// replaces the mirrors.
  public static func fromEnvironment(dataDirectory: String? = nil) -> DataSources {
    let environment = ProcessInfo.processInfo.environment
    let data = dataDirectory ?? environment["PLAYGROUND_DATA"].flatMap { $0.isEmpty ? nil : $0 }
    let mirrors = environment["PLAYGROUND_MNIST_MIRROR"].flatMap(URL.init(string:)).map { [$0] }
    return DataSources(
      dataDirectory: data.map { URL(fileURLWithPath: $0) }, cacheDirectory: defaultCacheDirectory,
      allowsDownload: environment["PLAYGROUND_OFFLINE"].map { $0.isEmpty || $0 == "0" } ?? true,
      mnistMirrors: mirrors ?? MNISTDownload.mirrors)
  }

  /// `$XDG_CACHE_HOME/playground`, or `~/.cache/playground`.
  public static var defaultCacheDirectory: URL {
    if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("playground")
    }
    return FileManager.default.homeDirectoryForCurrentUser
      .appendingPathComponent(".cache").appendingPathComponent("playground")
  }
}

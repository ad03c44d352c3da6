import Foundation
import PlaygroundData
import Testing
import TestSupport

/// Downloads from a loopback HTTP server (Python's `http.server`) serving files made here.
@Suite(.onOneBackend, .serialized) struct DownloadTests {
  final class Server: @unchecked Sendable {
    let process = Process()
    let root: URL
    let port: Int

    init(files: [String: Data]) throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID())")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      for (name, data) in files { try data.write(to: root.appendingPathComponent(name)) }
      // Port 0: the system picks a free port, which the server prints.
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path,
      ]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      var text = ""
      while !text.contains("port ") || !text.contains(")") {
        let chunk = output.fileHandleForReading.availableData
        guard !chunk.isEmpty else { break }
        text += String(decoding: chunk, as: UTF8.self)
      }
      let digits = text.components(separatedBy: "port ").last?.prefix { $0.isNumber } ?? ""
      port = Int(digits) ?? 0
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    func stop() {
      // SIGKILL: a child started from a dispatch thread inherits its blocked SIGTERM.
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      try? FileManager.default.removeItem(at: root)
    }
  }

  static let payload = Gzip.compress(IDX.encode(dimensions: [2], bytes: [4, 2]))

  @Test func downloadsChecksAndSavesIntoTheCache() throws {
    let server = try Server(files: ["labels.gz": Self.payload])
    defer { server.stop() }
    #expect(server.port > 0)
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: cache) }
    let file = MNISTDownload.File(name: "labels.gz", sha256: SHA256.hexDigest(Self.payload))
    try MNISTDownload.fetch(
      [file], from: [URL(string: "http://127.0.0.1:1/")!, server.url], into: cache)
    #expect(try Data(contentsOf: cache.appendingPathComponent("labels.gz")) == Self.payload)
  }

  @Test func aChecksumMismatchSavesNothing() throws {
    let server = try Server(files: ["labels.gz": Self.payload])
    defer { server.stop() }
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: cache) }
    let file = MNISTDownload.File(name: "labels.gz", sha256: String(repeating: "0", count: 64))
    #expect {
      try MNISTDownload.fetch([file], from: [server.url], into: cache)
    } throws: { "\($0)".contains("nothing was saved") }
    #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("labels.gz").path))
  }

  @Test func aMissingFileIsAnHTTPError() throws {
    let server = try Server(files: [:])
    defer { server.stop() }
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: cache) }
    #expect {
      try MNISTDownload.fetch(
        [MNISTDownload.File(name: "x.gz", sha256: "")], from: [server.url], into: cache)
    } throws: { "\($0)".contains("HTTP 404") }
  }

  @Test func theLoaderDownloadsTheFourOfficialFileNames() throws {
    // A mirror serving tiny stand-ins under the official names; their checksums differ from the
    // official ones, so the loader refuses them and says so.
    var files: [String: Data] = [:]
    for file in MNISTDownload.files { files[file.name] = Self.payload }
    let server = try Server(files: files)
    defer { server.stop() }
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: cache) }
    let loader = DatasetLoader(
      sources: DataSources(dataDirectory: nil, cacheDirectory: cache, mnistMirrors: [server.url]))
    #expect {
      try loader.load(.mnist)
    } throws: { error in
      "\(error)".contains("train-images-idx3-ubyte.gz has SHA-256") && "\(error)".contains("Fix:")
    }
  }
}

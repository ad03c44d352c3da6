import Foundation
import PlaygroundFiles
import TestSupport
import Testing

/// Files someone names are read only when regular and within their bound, each refusal one
/// line naming the file.
@Suite(.onOneBackend) struct UserFileTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID())")

  init() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  func problem(_ url: URL, maximumBytes: Int = 1 << 20) -> String? {
    do {
      _ = try UserFile.read(url, what: "checkpoint", maximumBytes: maximumBytes)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func aRegularFileWithinItsBoundIsRead() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("model.safetensors")
    try Data([1, 2, 3]).write(to: url)
    #expect(try UserFile.read(url, what: "checkpoint", maximumBytes: 3) == Data([1, 2, 3]))
    #expect(problem(url, maximumBytes: 2)?.contains("is 3 bytes, larger than 2 bytes") == true)
  }

  @Test func whatIsNotARegularFileIsOneLine() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = folder.appendingPathComponent("pipe")
    #expect(mkfifo(pipe.path, 0o600) == 0)
    #expect(problem(pipe)?.contains("is not a regular file (a pipe or a device?)") == true)
    #expect(problem(URL(fileURLWithPath: "/dev/zero"))?.contains("not a regular file") == true)
    #expect(problem(folder)?.contains("it is a folder, not a file") == true)
    #expect(problem(folder.appendingPathComponent("none"))?.hasSuffix("no such file") == true)
    for message in [problem(pipe), problem(folder)] {
      #expect(message?.contains("\n") == false)
    }
  }

  @Test func textMustBeUTF8() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("settings.yaml")
    try Data([0x66, 0xFF, 0x0A]).write(to: url)
    #expect {
      try UserFile.text(url, what: "config", maximumBytes: 100)
    } throws: { "\($0)".contains("is not UTF-8 text") }
  }

  @Test(arguments: [
    (0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KiB"), (1536, "1.5 KiB"), (64 << 20, "64 MiB"),
    (4 << 30, "4 GiB"),
  ])
  func sizesReadAsAPersonWritesThem(_ bytes: Int, _ text: String) {
    #expect(UserFile.describe(bytes: bytes) == text)
  }
}

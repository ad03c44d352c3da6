import Foundation
import PlaygroundData
import Testing

/// Sizes read from files are checked before they are used.
@Suite struct HostileDataTests {
  /// Four dimensions of 2^32 − 1 multiply past Int.max: a clear error, not a trap.
  @Test func idxDimensionsThatOverflowAreAnError() {
    var data = Data([0, 0, 0x08, 4])
    for _ in 0..<4 { data.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF]) }
    #expect {
      try IDX.parse(data, expectedMagic: 0x0804)
    } throws: { "\($0)".contains("too large") }
  }

  @Test func aCorpusFileThatIsNotTextIsAnError() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID())")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data([0x61, 0x00, 0xFF, 0xFE]).write(to: url)
    #expect { try TextCorpus.read(url) } throws: { "\($0)".contains("not UTF-8 text") }
  }
}

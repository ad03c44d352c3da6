import Foundation
import PlaygroundData
import Testing
import TestSupport

/// Sizes read from files are checked before they are used.
@Suite(.onOneBackend) struct HostileDataTests {
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

@Suite(.onOneBackend) struct DecompressionBombTests {
  /// A small .gz whose IDX data goes on past its header's declared size (here 4 MiB of zeros
  /// after 10 labels) is refused while decompressing, not read whole.
  @Test func dataPastTheDeclaredSizeIsRefused() throws {
    var idx = Data([0, 0, 0x08, 1, 0, 0, 0, 10])
    idx.append(Data(count: 10 + 4 << 20))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID()).gz")
    defer { try? FileManager.default.removeItem(at: url) }
    try Gzip.compress(idx).write(to: url)
    #expect {
      try Gzip.readFile(url, check: IDX.declaredSize)
    } throws: { "\($0)".contains("more data than its header declares") }
  }
}

import Foundation
import PlaygroundKernels
import TestSupport
import Testing

@testable import PlaygroundTensorBoard

/// TensorBoard's event files: the TFRecord framing and CRC-32C, and the events read back.
@Suite(.onOneBackend)
struct EventFileTests {
  @Test func crc32cMatchesTheStandardCheckValue() {
    // The check value of CRC-32C (RFC 3720, appendix B.4): "123456789" → 0xE3069283.
    #expect(TFRecordWriter.crc32c(Data("123456789".utf8)) == 0xE306_9283)
    // 32 bytes of zeros (RFC 3720's first test vector).
    #expect(TFRecordWriter.crc32c(Data(count: 32)) == 0x8A91_36AA)
    #expect(TFRecordWriter.crc32c(Data()) == 0)
  }

  @Test func theInstructionAgreesWithTheTableAtEveryLength() {
    var bytes = [UInt8](repeating: 0, count: 300)
    for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 167 &+ 13) }
    for length in 0...bytes.count {
      let fast = playground_crc32c(bytes, length)
      let table = playground_crc32c_portable(bytes, length)
      #expect(fast == table, "length \(length)")
    }
  }

  @Test func aRecordIsFramedAsTensorFlowWritesIt() {
    // TensorFlow's masked CRC of the empty string's length (8 zero bytes) and of "" itself.
    let record = TFRecordWriter.frame(Data("abc".utf8))
    #expect(record.count == 8 + 4 + 3 + 4)
    #expect(Array(record.prefix(8)) == [3, 0, 0, 0, 0, 0, 0, 0])
    let crc = TFRecordWriter.crc32c(Data("abc".utf8))
    let masked = ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8
    let stored = record.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(stored == masked)
  }

  @Test func eventsAreReadBackInOrder() throws {
    let folder = try Self.scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try EventFile(in: folder)
    try file.write(scalars: [("loss", 0.25), ("accuracy", 0.875), ("skipped", .nan)], step: 3)
    try file.write(text: "seed: 7\n", tag: "config", step: 0)
    let png =
      Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
      + Data("IHDR".utf8) + Data([0, 0, 0, 5, 0, 0, 0, 9, 8, 0, 0, 0, 0])
    try file.write(png: png, tag: "samples", step: 2)
    file.close()
    #expect(EventFile.isEventFile(file.url.lastPathComponent))
    let events = try EventRecords(file.url)
    #expect(!events.endedEarly)
    #expect(events.entries.count == 4)
    #expect(events.entries[0].fileVersion == "brain.Event:2")
    #expect(events.scalars("loss") == [3: 0.25])
    #expect(events.scalars("accuracy") == [3: 0.875])
    #expect(events.scalarTags == ["loss", "accuracy"])
    #expect(events.entries[2].texts["config"] == "seed: 7\n")
    #expect(events.entries[3].images["samples"] == png)
    #expect(EventFile.pngSize(png) == (5, 9))
  }

  @Test func aFileCutShortOrDamagedKeepsItsWholeRecords() throws {
    let folder = try Self.scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try EventFile(in: folder)
    for step in 1...5 { try file.write(scalars: [("x", Double(step))], step: step) }
    file.close()
    let data = try Data(contentsOf: file.url)
    // Cut inside the last record: the four before it are read.
    let cut = EventRecords(data: data.prefix(data.count - 3))
    #expect(cut.endedEarly)
    #expect(cut.scalars("x") == [1: 1, 2: 2, 3: 3, 4: 4])
    // A flipped bit in the last record's data: its CRC no longer matches.
    var flipped = data
    flipped[flipped.count - 6] ^= 0x10
    let damaged = EventRecords(data: flipped)
    #expect(damaged.endedEarly)
    #expect(damaged.scalars("x").count == 4)
  }

  @Test func hparamsSessionsAndExperimentsAreReadBack() throws {
    let folder = try Self.scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try EventFile(in: folder)
    try file.writeSessionStart(hparams: [
      "learning_rate": .number(0.001), "optimizer": .text("adam"), "bias": .flag(true),
    ])
    try file.writeSessionEnd(.success)
    try file.writeExperiment(
      HParamsExperiment(
        hparams: [
          ("learning_rate", .values([.number(0.001), .number(0.01)])), ("decay", .interval(0...1)),
        ],
        metrics: [("summary/test_accuracy", "test accuracy")]))
    file.close()
    let events = try EventRecords(file.url)
    #expect(
      events.sessionHParams == ["learning_rate": "0.001", "optimizer": "adam", "bias": "true"])
    #expect(events.sessionStatus == "success")
    #expect(events.experiment?.hparams == ["learning_rate", "decay"])
    #expect(events.experiment?.metrics == ["summary/test_accuracy"])
  }

  @Test func aFileIsNeverOverwrittenAndNamesItsProcess() throws {
    let folder = try Self.scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    let first = try EventFile(in: folder, date: date)
    let second = try EventFile(in: folder, date: date)
    #expect(first.url != second.url)
    #expect(first.url.lastPathComponent.hasPrefix("events.out.tfevents.1700000000."))
    #expect(first.url.lastPathComponent.contains(".\(getpid())."))
    #expect(throws: EventFileError.self) {
      try EventFile(in: folder.appendingPathComponent("missing"))
    }
  }

  @Test func hparamValuesReadAsTheirType() {
    #expect(HParamValue(reading: "0.001") == .number(0.001))
    #expect(HParamValue(reading: "true") == .flag(true))
    #expect(HParamValue(reading: "adam") == .text("adam"))
    #expect(HParamValue(reading: "nan") == .text("nan"))
  }

  static func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "events-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

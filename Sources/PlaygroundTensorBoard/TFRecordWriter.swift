import Foundation
import PlaygroundKernels

/// Appends records to a file in TFRecord framing, the container of TensorBoard's event files:
/// each record is its length (8 bytes, little-endian), the masked CRC-32C of those 8 bytes, the
/// data, and the masked CRC-32C of the data (TensorFlow's `tensorflow/core/lib/io/record_writer`).
/// Each record goes to the file in one `write(2)`, so that a reader following the file while it
/// grows, or after a kill, sees whole records followed at most by one cut short.
final class TFRecordWriter {
  let url: URL
  private var descriptor: Int32

  /// Creates `url` (which must not exist).
  init(creating url: URL) throws {
    self.url = url
    descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw EventFileError(url, operation: "create") }
  }

  deinit { close() }

  /// Appends one record.
  func append(_ data: Data) throws {
    try append(framed: Self.frame(data))
  }

  /// Appends records already framed (``frame(_:)``), in one `write(2)` when the system takes it.
  func append(framed records: Data) throws {
    guard descriptor >= 0 else { throw EventFileError(url, operation: "write to", code: EBADF) }
    try records.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw EventFileError(url, operation: "write to")
        }
        offset += written
      }
    }
  }

  /// Closes the file; later appends fail.
  func close() {
    if descriptor >= 0 { _ = Foundation.close(descriptor) }
    descriptor = -1
  }

  /// `data` framed as one record.
  static func frame(_ data: Data) -> Data {
    var length = UInt64(data.count).littleEndian
    let lengthBytes = withUnsafeBytes(of: &length) { Data($0) }
    var record = Data(capacity: data.count + 16)
    record.append(lengthBytes)
    appendLittleEndian(maskedCRC(lengthBytes), to: &record)
    record.append(data)
    appendLittleEndian(maskedCRC(data), to: &record)
    return record
  }

  /// The CRC-32C of `data`, masked as TFRecord stores it: rotated right by 15 bits plus
  /// 0xa282ead8, so that a CRC of data holding CRCs is not trivially related to them.
  static func maskedCRC(_ data: Data) -> UInt32 {
    let crc = crc32c(data)
    return ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8
  }

  /// CRC-32C (Castagnoli) of `data`: the CPU's instruction where it has one.
  static func crc32c(_ data: Data) -> UInt32 {
    data.withUnsafeBytes { bytes in
      playground_crc32c(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count)
    }
  }

  private static func appendLittleEndian(_ value: UInt32, to data: inout Data) {
    var little = value.littleEndian
    withUnsafeBytes(of: &little) { data.append(contentsOf: $0) }
  }
}

/// An event file that could not be created or written: the file and the system's reason.
public struct EventFileError: Error, CustomStringConvertible {
  public let description: String

  init(_ url: URL, operation: String, code: Int32 = errno) {
    let reason = String(cString: strerror(code))
    let advice = code == ENOSPC ? " (free some space, or run with --no-tensorboard)" : ""
    description = "cannot \(operation) \(url.path): \(reason.lowercased())\(advice)"
  }
}

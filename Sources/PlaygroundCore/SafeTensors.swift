import Foundation
import PlaygroundFiles

/// Reads and writes the safetensors checkpoint format (Hugging Face): an 8-byte little-endian
/// header length, a JSON header mapping each name to `dtype`, `shape` and `data_offsets`, then
/// the raw little-endian data. The playground stores `F32` tensors, and `I8` for a quantised
/// model's weights (held in memory as floats with integer values); files load in Python with
/// `safetensors.numpy.load_file`.
public enum SafeTensors {
  /// How a tensor's elements are stored.
  public enum ElementType: String, Sendable {
    /// 32-bit float (`F32`).
    case float32 = "F32"
    /// 8-bit signed integer (`I8`): the tensor's values must be integers in −128…127.
    case int8 = "I8"

    var bytes: Int { self == .float32 ? 4 : 1 }
  }

  /// Named tensors in file order, with the header's optional `__metadata__` strings.
  public struct Contents {
    public var tensors: [(name: String, tensor: Tensor)]
    public var metadata: [String: String]
    /// The element type of each tensor stored other than as `F32`.
    public var elementTypes: [String: ElementType]

    public init(
      tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
      elementTypes: [String: ElementType] = [:]
    ) {
      self.tensors = tensors
      self.metadata = metadata
      self.elementTypes = elementTypes
    }

    /// How the tensor called `name` is stored.
    public func elementType(of name: String) -> ElementType { elementTypes[name] ?? .float32 }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> Tensor? {
      tensors.first { $0.name == name }?.tensor
    }
  }

  /// The bytes of a safetensors file holding `contents`.
  /// - Precondition: names are unique; an `I8` tensor holds integers in −128…127.
  public static func encode(_ contents: Contents) -> Data {
    var header: [String: Any] = [:]
    var offset = 0
    for (name, tensor) in contents.tensors {
      precondition(header[name] == nil, "safetensors: duplicate tensor name \(name)")
      let size = contents.elementType(of: name).bytes * tensor.count
      header[name] = [
        "dtype": contents.elementType(of: name).rawValue, "shape": tensor.shape,
        "data_offsets": [offset, offset + size],
      ]
      offset += size
    }
    if !contents.metadata.isEmpty { header["__metadata__"] = contents.metadata }
    var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    // Pad with spaces so that the data starts 8-byte aligned, as the reference writer does.
    while json.count % 8 != 0 { json.append(0x20) }
    var data = Data()
    data.reserveCapacity(8 + json.count + offset)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    for (name, tensor) in contents.tensors {
      switch contents.elementType(of: name) {
      case .float32:
        tensor.scalars.withUnsafeBufferPointer { buffer in
          for value in buffer {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
          }
        }
      case .int8:
        data.append(
          contentsOf: tensor.scalars.map { value -> UInt8 in
            precondition(value == value.rounded() && abs(value) <= 128, "I8 value \(value)")
            return UInt8(bitPattern: Int8(value))
          })
      }
    }
    return data
  }

  /// Parses a safetensors file; every malformation is a ``SafeTensorsError`` naming the problem.
  public static func decode(_ data: Data) throws -> Contents {
    guard data.count >= 8 else {
      throw SafeTensorsError("file is \(data.count) bytes, shorter than the 8-byte header length")
    }
    let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) {
      $0 | (UInt64($1.element) << (8 * UInt64($1.offset)))
    }
    guard headerLength <= UInt64(data.count - 8) else {
      throw SafeTensorsError(
        "header length \(headerLength) exceeds the \(data.count - 8) bytes after it (truncated file?)"
      )
    }
    // JSONSerialization takes some 60 times a header's bytes: a hostile header of a million
    // entries (67 MB) took 4 GB.
    guard headerLength <= UInt64(maximumHeaderBytes) else {
      throw SafeTensorsError(
        "the header has \(headerLength) bytes; the playground's checkpoints have a few KiB and at most \(maximumHeaderBytes >> 20) MiB is read"
      )
    }
    let headerEnd = 8 + Int(headerLength)
    let json = data.subdata(in: 8..<headerEnd)
    guard let header = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
      throw SafeTensorsError("header is not a JSON object")
    }
    if let repeated = JSONKeys.repeatedKey(in: json) {
      throw SafeTensorsError("header names '\(repeated)' twice: the file is damaged")
    }
    let payload = data.count - headerEnd
    var metadata: [String: String] = [:]
    var entries: [Entry] = []
    var elementTypes: [String: ElementType] = [:]
    for (name, value) in header {
      if name == "__metadata__" {
        guard let strings = value as? [String: String] else {
          throw SafeTensorsError("__metadata__ must map strings to strings")
        }
        metadata = strings
        continue
      }
      let entry = try Entry(name: name, header: value, payload: payload)
      entries.append(entry)
      if entry.elementType != .float32 { elementTypes[name] = entry.elementType }
    }
    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    try checkLayout(entries, payload: payload)
    let tensors = entries.map { entry -> (name: String, tensor: Tensor) in
      let count = (entry.end - entry.begin) / entry.elementType.bytes
      var scalars = [Float](repeating: 0, count: count)
      data.withUnsafeBytes { raw in
        let base = headerEnd + entry.begin
        switch entry.elementType {
        case .float32:
          for i in 0..<count {
            let bits = raw.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self)
            scalars[i] = Float(bitPattern: UInt32(littleEndian: bits))
          }
        case .int8:
          for i in 0..<count { scalars[i] = Float(Int8(bitPattern: raw[base + i])) }
        }
      }
      return (entry.name, Tensor(shape: entry.shape, scalars: scalars))
    }
    return Contents(tensors: tensors, metadata: metadata, elementTypes: elementTypes)
  }

  /// The tensors' bytes, in order of their offsets, must follow one another from the first data
  /// byte to the last, as the safetensors format lays them out (its reference reader refuses
  /// the same): no two share a byte, and no byte belongs to none.
  static func checkLayout(_ entries: [Entry], payload: Int) throws {
    var end = 0
    var previous: String?
    for entry in entries {
      guard entry.begin >= end else {
        throw SafeTensorsError(
          "tensor '\(entry.name)' (data_offsets [\(entry.begin), \(entry.end)]) overlaps tensor '\(previous ?? "")': the file is damaged"
        )
      }
      guard entry.begin == end else {
        throw SafeTensorsError(
          "data bytes \(end)–\(entry.begin) belong to no tensor (before '\(entry.name)'): the file is damaged"
        )
      }
      end = entry.end
      previous = entry.name
    }
    guard end == payload else {
      throw SafeTensorsError(
        "data bytes \(end)–\(payload) belong to no tensor: the file is damaged (or was cut and joined)"
      )
    }
  }

  /// One tensor's place in the data bytes, checked against them.
  struct Entry {
    let name: String
    let begin: Int
    let end: Int
    let shape: [Int]
    let elementType: ElementType

    init(name: String, header value: Any, payload: Int) throws {
      guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
        let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
        offsets.count == 2
      else {
        throw SafeTensorsError("tensor '\(name)' lacks a dtype, shape or data_offsets pair")
      }
      guard let elementType = ElementType(rawValue: dtype) else {
        throw SafeTensorsError(
          "tensor '\(name)' has dtype \(dtype); the playground reads F32 and I8 only")
      }
      guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1],
        offsets[1] <= payload
      else {
        throw SafeTensorsError(
          "tensor '\(name)' has data_offsets \(offsets) outside the \(payload) data bytes (truncated file?)"
        )
      }
      // Checked: a header's dimensions can multiply past Int.max.
      var expected = elementType.bytes
      for dimension in shape {
        let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
        guard !overflow else {
          throw SafeTensorsError("tensor '\(name)' has shape \(shape), too large to hold")
        }
        expected = product
      }
      guard offsets[1] - offsets[0] == expected else {
        throw SafeTensorsError(
          "tensor '\(name)' of shape \(shape) needs \(expected) bytes, its offsets span \(offsets[1] - offsets[0])"
        )
      }
      (self.name, begin, end, self.shape) = (name, offsets[0], offsets[1], shape)
      self.elementType = elementType
    }
  }

  /// Writes `contents` to `url` atomically: to a temporary file first, then renamed.
  public static func write(_ contents: Contents, to url: URL) throws {
    try encode(contents).write(to: url, options: .atomic)
  }

  /// The largest safetensors file read (4 GiB: a billion float32 weights, far past what a
  /// playground's CPU trains).
  public static let maximumFileBytes = 4 << 30

  /// The largest header read (4 MiB, some 60,000 tensors; the playground's checkpoints have a
  /// few KiB).
  public static let maximumHeaderBytes = 4 << 20

  /// Reads the safetensors file at `url`.
  public static func read(from url: URL) throws -> Contents {
    let data: Data
    do {
      data = try UserFile.read(url, what: "checkpoint", maximumBytes: maximumFileBytes)
    } catch {
      throw SafeTensorsError(error.description)
    }
    do {
      return try decode(data)
    } catch let error as SafeTensorsError {
      throw SafeTensorsError("\(url.path): \(error.message)")
    }
  }
}

/// A safetensors file could not be read; the message says why.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "invalid safetensors: \(message)" }
}

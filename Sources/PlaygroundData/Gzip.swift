import CZlib
import Foundation
import PlaygroundFiles

/// gzip decompression through zlib.
public enum Gzip {
  /// Whether `data` starts with the gzip magic bytes `1f 8b`.
  public static func isCompressed(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
  }

  /// The decompressed bytes of a gzip stream (concatenated members are joined, as `gunzip`
  /// does).
  /// - Parameter check: sees the output after every MiB decompressed and throws to stop there
  ///   (a reader that knows from a header how much may follow bounds the memory it takes).
  /// - Throws: ``DataError`` for corrupt or truncated input, output past ``maximumFileBytes``,
  ///   or what `check` throws.
  public static func decompress(_ data: Data, check: (Data) throws -> Void = { _ in }) throws
    -> Data
  {
    var stream = z_stream()
    // 15 window bits + 16: expect a gzip header.
    guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { throw DataError("zlib could not start decompressing") }
    defer { inflateEnd(&stream) }
    var output = Data()
    let chunkSize = 1 << 20
    // The last member's trailer gives its size (mod 2³²): reserved up front, so that a large
    // output is not copied as it grows. A hint only, so bounded by what the input can inflate
    // to (deflate's ratio is at most 1,032:1) — a lying trailer reserves no more than that.
    if data.count >= 1 << 16 {  // smaller inputs inflate to little: copies cost nothing
      let trailer = data.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
      output.reserveCapacity(min(trailer, data.count * 1032, maximumFileBytes) + chunkSize)
    }
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
      guard let base = input.bindMemory(to: Bytef.self).baseAddress else {
        throw DataError("gzip data is empty")
      }
      stream.next_in = UnsafeMutablePointer(mutating: base)
      stream.avail_in = uInt(input.count)
      while true {
        let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
          stream.next_out = buffer.baseAddress
          stream.avail_out = uInt(chunkSize)
          return inflate(&stream, Z_NO_FLUSH)
        }
        output.append(contentsOf: chunk[0..<(chunkSize - Int(stream.avail_out))])
        guard output.count <= maximumFileBytes else {
          throw DataError(
            "gzip data decompresses to more than \(UserFile.describe(bytes: maximumFileBytes)): not a data set file"
          )
        }
        try check(output)
        switch status {
        case Z_STREAM_END:
          // Another gzip member may follow.
          if stream.avail_in == 0 { return }
          guard inflateReset(&stream) == Z_OK else { throw DataError("gzip data is corrupt") }
        case Z_OK:
          if stream.avail_in == 0 && stream.avail_out != 0 {
            throw DataError("gzip data is truncated")
          }
        case Z_BUF_ERROR where stream.avail_in == 0:
          throw DataError("gzip data is truncated")
        default:
          let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
          throw DataError("gzip data is corrupt (\(reason))")
        }
      }
    }
    return output
  }

  /// `data` compressed as one gzip member (zlib level 6, like `gzip` by default).
  public static func compress(_ data: Data) -> Data {
    var stream = z_stream()
    // 15 window bits + 16: write a gzip header; memory level 8 is zlib's default.
    let status = deflateInit2_(
      &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "zlib could not start compressing")
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))))
    var input = [UInt8](data)
    input.withUnsafeMutableBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        stream.next_in = source.baseAddress
        stream.avail_in = uInt(source.count)
        stream.next_out = target.baseAddress
        stream.avail_out = uInt(target.count)
        let result = deflate(&stream, Z_FINISH)
        precondition(result == Z_STREAM_END, "zlib could not finish compressing")
      }
    }
    return Data(output.prefix(Int(stream.total_out)))
  }

  /// The largest data file read, compressed or not (2 GiB: what a decompressed file may have).
  public static let maximumFileBytes = 2 << 30

  /// The file's bytes, decompressed when they are gzip'd (`check` as for ``decompress(_:check:)``).
  /// - Parameter maximumBytes: the largest file read (compressed or not).
  public static func readFile(
    _ url: URL, maximumBytes: Int = maximumFileBytes, check: (Data) throws -> Void = { _ in }
  ) throws -> Data {
    let data: Data
    do {
      data = try UserFile.read(
        url, what: "data file", maximumBytes: min(maximumBytes, maximumFileBytes))
    } catch {
      throw DataError(error.description)
    }
    guard isCompressed(data) else { return data }
    do {
      return try decompress(data, check: check)
    } catch let error as DataError {
      throw DataError("\(url.path): \(error.description)")
    }
  }
}

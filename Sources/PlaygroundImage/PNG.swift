import CLibPNG
import Foundation
import PlaygroundFiles

/// PNG files through libpng's simplified API, which reports errors as return values (no
/// `longjmp` crosses Swift frames): 8-bit grayscale, RGB and RGBA.
public enum PNG {
  /// A PNG file's header facts, read without decoding the pixels.
  public struct Header: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Bits per sample: 1, 2, 4, 8 or 16.
    public let bitDepth: Int
    /// `gray`, `RGB`, `palette`, `gray+alpha` or `RGBA`.
    public let colorType: String

    public init(width: Int, height: Int, bitDepth: Int, colorType: String) {
      self.width = width
      self.height = height
      self.bitDepth = bitDepth
      self.colorType = colorType
    }
  }

  /// The encoded bytes of `image` (deterministic: the same image gives the same bytes).
  public static func encode(_ image: Image) throws -> Data {
    var png = describe(image)
    let stride = Int32(image.width * image.channels)
    // Compressed once, into a buffer libpng's own bound says is large enough (its
    // PNG_IMAGE_PNG_SIZE_MAX macro, which Swift does not import): asking for the size first
    // compressed every picture twice.
    var size = maximumEncodedSize(image)
    var data = Data(count: size)
    let written = try data.withUnsafeMutableBytes { output in
      try image.pixels.withUnsafeBytes { buffer in
        png_image_write_to_memory(
          &png, output.baseAddress, &size, 0, buffer.baseAddress, stride, nil) != 0
      }
    }
    guard written else { throw PNGError(message(png)) }
    return data.prefix(size)
  }

  /// An upper bound of the PNG bytes of `image`: its filtered rows as zlib stores them when
  /// they do not compress (libpng's `PNG_ZLIB_MAX_SIZE`), its IDAT chunks' framing, and the
  /// signature, header and end chunks.
  static func maximumEncodedSize(_ image: Image) -> Int {
    let raw = image.height * (image.width * image.channels + 1)
    let compressed = raw + (raw + 7) / 8 + (raw + 63) / 64 + 11
    return compressed + 12 * (compressed / 8192 + 2) + 1024
  }

  /// Writes `image` to `url` atomically.
  public static func write(_ image: Image, to url: URL) throws {
    try encode(image).write(to: url, options: .atomic)
  }

  /// Decodes a PNG into 8-bit gray (1 channel), gray+alpha as RGBA, RGB (3) or RGBA (4); 16-bit
  /// and palette files are converted.
  /// - Throws: ``PNGError`` for anything that is not a valid PNG (bad signature, CRC error,
  ///   truncated data), never a crash.
  public static func decode(_ data: Data) throws -> Image {
    guard data.count >= 8, Array(data.prefix(8)) == signature else {
      throw PNGError("not a PNG file (the 8-byte signature is missing)")
    }
    try checkChunks(data)
    var png = png_image()
    png.version = png_uint_32(PNG_IMAGE_VERSION)
    return try data.withUnsafeBytes { input -> Image in
      guard png_image_begin_read_from_memory(&png, input.baseAddress, input.count) != 0 else {
        throw PNGError(message(png))
      }
      defer { png_image_free(&png) }
      let native = png.format
      let color =
        native & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        || native & UInt32(PNG_FORMAT_FLAG_COLORMAP) != 0
      let alpha = native & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
      let channels = alpha ? 4 : (color ? 3 : 1)
      png.format = formatCode(channels: channels)
      let (width, height) = (Int(png.width), Int(png.height))
      guard width > 0, height > 0, width * height <= 1 << 28 else {
        throw PNGError("unreasonable PNG size \(width)×\(height)")
      }
      var pixels = [UInt8](repeating: 0, count: width * height * channels)
      let ok = pixels.withUnsafeMutableBytes { output in
        png_image_finish_read(&png, nil, output.baseAddress, Int32(width * channels), nil)
      }
      guard ok != 0 else { throw PNGError(message(png)) }
      return Image(width: width, height: height, channels: channels, pixels: pixels)
    }
  }

  /// Reads and decodes the PNG file at `url`.
  public static func read(_ url: URL) throws -> Image {
    try decode(readData(url))
  }

  /// The header of the PNG file at `url`.
  public static func header(of url: URL) throws -> Header {
    let data = try readData(url)
    guard data.count >= 33, Array(data.prefix(8)) == signature,
      String(decoding: data[12..<16], as: UTF8.self) == "IHDR"
    else { throw PNGError("\(url.path) is not a PNG file") }
    func word(_ offset: Int) -> Int { data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    let names = [0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"]
    return Header(
      width: word(16), height: word(20), bitDepth: Int(data[24]),
      colorType: names[Int(data[25])] ?? "unknown (\(data[25]))")
  }

  /// Walks the chunks: each one's length must fit, each CRC must match, and the file must end
  /// with `IEND` — libpng alone accepts a file cut after its image data.
  static func checkChunks(_ data: Data) throws {
    let bytes = [UInt8](data)
    var offset = 8
    while true {
      guard offset + 12 <= bytes.count else {
        throw PNGError("invalid PNG: truncated (no IEND chunk)")
      }
      let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
      guard length <= bytes.count - offset - 12 else {
        throw PNGError("invalid PNG: truncated chunk")
      }
      let typeAndData = bytes[(offset + 4)..<(offset + 8 + length)]
      let stored = bytes[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) {
        $0 << 8 | UInt32($1)
      }
      let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
      guard CRC32.checksum(typeAndData) == stored else {
        throw PNGError("invalid PNG: CRC error in chunk \(type)")
      }
      offset += 12 + length
      if type == "IEND" {
        guard offset == bytes.count else { throw PNGError("invalid PNG: data after IEND") }
        return
      }
    }
  }

  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The largest PNG file read (256 MiB; the playground's pictures have a few hundred KiB).
  static let maximumFileBytes = 256 << 20

  private static func readData(_ url: URL) throws -> Data {
    do {
      return try UserFile.read(url, what: "PNG", maximumBytes: maximumFileBytes)
    } catch {
      throw PNGError(error.description)
    }
  }

  private static func describe(_ image: Image) -> png_image {
    var png = png_image()
    png.version = png_uint_32(PNG_IMAGE_VERSION)
    png.width = png_uint_32(image.width)
    png.height = png_uint_32(image.height)
    png.format = formatCode(channels: image.channels)
    return png
  }

  /// libpng's `PNG_FORMAT_GRAY`, `PNG_FORMAT_RGB`, `PNG_FORMAT_RGBA` (compound macros that Swift
  /// does not import): the colour flag is 2, the alpha flag 1.
  private static func formatCode(channels: Int) -> UInt32 {
    channels == 4 ? 3 : channels == 3 ? 2 : 0
  }

  private static func message(_ png: png_image) -> String {
    var text = png.message
    let reason = withUnsafeBytes(of: &text) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    return "invalid PNG: \(reason.isEmpty ? "libpng failed" : reason)"
  }
}

/// A PNG could not be read or written; the message says why.
public struct PNGError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}

/// An 8-bit image: grayscale (1 channel), RGB (3) or RGBA (4), rows top to bottom, channels
/// interleaved.
public struct Image: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// 1, 3 or 4.
  public let channels: Int
  /// `height · width · channels` bytes.
  public var pixels: [UInt8]

  /// - Precondition: sizes are positive, `channels` is 1, 3 or 4, and `pixels` fits.
  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(width > 0 && height > 0, "Image needs a positive size, got \(width)×\(height)")
    precondition([1, 3, 4].contains(channels), "Image needs 1, 3 or 4 channels, got \(channels)")
    precondition(
      pixels.count == width * height * channels,
      "Image of \(width)×\(height)×\(channels) needs \(width * height * channels) bytes, got \(pixels.count)"
    )
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// An image filled with one colour (`color.count == channels`).
  public init(width: Int, height: Int, fill color: [UInt8]) {
    var pixels = [UInt8](repeating: color.first ?? 0, count: width * height * color.count)
    if color.count > 1 {
      pixels.withUnsafeMutableBufferPointer { p in
        for i in stride(from: 0, to: p.count, by: color.count) {
          for c in 1..<color.count { p[i + c] = color[c] }
        }
      }
    }
    self.init(width: width, height: height, channels: color.count, pixels: pixels)
  }

  /// A grayscale image from `[0, 1]` intensities (clamped; NaN draws black), e.g. a generated
  /// digit.
  public init(width: Int, height: Int, intensities: [Float]) {
    self.init(
      width: width, height: height, channels: 1,
      pixels: intensities.map { $0.isNaN ? 0 : UInt8((min(max($0, 0), 1) * 255).rounded()) })
  }

  /// The colour at column `x`, row `y`.
  public subscript(x: Int, y: Int) -> ArraySlice<UInt8> {
    let start = (y * width + x) * channels
    return pixels[start..<(start + channels)]
  }

  /// Sets the colour at `(x, y)`, converting gray to RGB(A) as needed; ignores points outside.
  public mutating func set(_ x: Int, _ y: Int, _ color: [UInt8]) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let start = (y * width + x) * channels
    for c in 0..<channels {
      pixels[start + c] = c < color.count ? color[c] : (color.count == 1 ? color[0] : 255)
    }
  }

  /// The same picture with `channels` channels (gray is repeated; alpha is opaque or dropped).
  public func converted(toChannels target: Int) -> Image {
    guard target != channels else { return self }
    var result = Image(width: width, height: height, fill: [UInt8](repeating: 255, count: target))
    for y in 0..<height {
      for x in 0..<width {
        let color = Array(self[x, y])
        let rgb = channels >= 3 ? Array(color[0..<3]) : [color[0], color[0], color[0]]
        let value: [UInt8]
        switch target {
        case 1:
          // ITU-R BT.601 luma.
          let luma = (Int(rgb[0]) * 299 + Int(rgb[1]) * 587 + Int(rgb[2]) * 114) / 1000
          value = [UInt8(luma)]
        case 3: value = rgb
        default: value = rgb + [channels == 4 ? color[3] : 255]
        }
        result.set(x, y, value)
      }
    }
    return result
  }

  /// Each pixel repeated `factor × factor` times (nearest neighbour), to make small images visible.
  public func upscaled(by factor: Int) -> Image {
    precondition(factor >= 1, "upscale factor must be at least 1, got \(factor)")
    guard factor > 1 else { return self }
    var result = [UInt8]()
    result.reserveCapacity(pixels.count * factor * factor)
    for y in 0..<height {
      var row = [UInt8]()
      row.reserveCapacity(width * factor * channels)
      for x in 0..<width {
        let color = self[x, y]
        for _ in 0..<factor { row += color }
      }
      for _ in 0..<factor { result += row }
    }
    return Image(width: width * factor, height: height * factor, channels: channels, pixels: result)
  }

  /// Copies `image` with its top-left corner at `(x, y)`, clipped to this image.
  public mutating func draw(_ image: Image, atX x: Int, y: Int) {
    let source = image.converted(toChannels: channels)
    // The visible columns, copied a row at a time.
    let (first, last) = (max(0, -x), min(source.width, width - x))
    guard first < last else { return }
    let span = (last - first) * channels
    for row in max(0, -y)..<min(source.height, height - y) {
      let from = (row * source.width + first) * channels
      let to = ((y + row) * width + x + first) * channels
      pixels.replaceSubrange(to..<(to + span), with: source.pixels[from..<(from + span)])
    }
  }

  /// Tiles in a grid of `columns` columns, separated by a `gutter` of `background`
  /// (e.g. a 10×10 sheet of generated digits).
  /// - Precondition: all tiles have the same size.
  public static func grid(
    _ tiles: [Image], columns: Int, gutter: Int = 2, background: [UInt8] = [255]
  ) -> Image {
    precondition(!tiles.isEmpty && columns > 0, "a grid needs tiles and a positive column count")
    let (tileWidth, tileHeight) = (tiles[0].width, tiles[0].height)
    precondition(
      tiles.allSatisfy { $0.width == tileWidth && $0.height == tileHeight },
      "grid tiles differ in size")
    let channels = max(tiles.map(\.channels).max()!, background.count)
    let rows = (tiles.count + columns - 1) / columns
    let usedColumns = min(columns, tiles.count)
    var sheet = Image(
      width: usedColumns * tileWidth + (usedColumns + 1) * gutter,
      height: rows * tileHeight + (rows + 1) * gutter,
      fill: Image(width: 1, height: 1, channels: background.count, pixels: background).converted(
        toChannels: channels
      ).pixels)
    for (index, tile) in tiles.enumerated() {
      sheet.draw(
        tile, atX: gutter + (index % columns) * (tileWidth + gutter),
        y: gutter + (index / columns) * (tileHeight + gutter))
    }
    return sheet
  }
}

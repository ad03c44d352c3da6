import Foundation
import PlaygroundImage
import Testing
import TestSupport

@Suite(.onOneBackend) struct PNGTests {
  static func sample(channels: Int) -> Image {
    let (width, height) = (7, 5)
    let pixels = (0..<(width * height * channels)).map { UInt8(($0 * 37) % 256) }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
  }

  @Test(arguments: [1, 3, 4])
  func roundTrip(channels: Int) throws {
    let image = Self.sample(channels: channels)
    let data = try PNG.encode(image)
    #expect(try PNG.decode(data) == image)
    // Deterministic bytes: the same picture always encodes the same way.
    #expect(try PNG.encode(image) == data)
  }

  @Test func headerIsReadWithoutDecoding() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).png")
    defer { try? FileManager.default.removeItem(at: url) }
    try PNG.write(Self.sample(channels: 3), to: url)
    #expect(
      try PNG.header(of: url) == PNG.Header(width: 7, height: 5, bitDepth: 8, colorType: "RGB"))
  }

  @Test func corruptFilesAreErrorsNeverCrashes() throws {
    let data = try PNG.encode(Self.sample(channels: 1))
    #expect(throws: PNGError.self) { try PNG.decode(Data("hello, not a png".utf8)) }
    // Every truncation.
    for length in 0..<data.count {
      #expect(throws: PNGError.self) { try PNG.decode(data.prefix(length)) }
    }
    // Every single flipped byte after the signature: a CRC or zlib error, or (for bytes libpng
    // ignores) a decode; never a crash.
    var failures = 0
    for offset in 8..<data.count {
      var corrupt = data
      corrupt[offset] ^= 0x5A
      do { _ = try PNG.decode(corrupt) } catch is PNGError { failures += 1 }
    }
    #expect(failures > (data.count - 8) * 9 / 10)
  }

  @Test func missingFileIsAnError() {
    #expect { try PNG.read(URL(fileURLWithPath: "/nonexistent.png")) } throws: {
      "\($0)".contains("no such file")
    }
  }
}

@Suite(.onOneBackend) struct PictureTests {
  @Test func gridPlacesTilesWithGutters() {
    let black = Image(width: 3, height: 2, fill: [0])
    let sheet = Image.grid([black, black, black], columns: 2, gutter: 1, background: [255])
    #expect(sheet.width == 2 * 3 + 3 && sheet.height == 2 * 2 + 3)
    #expect(
      sheet[0, 0] == [255] && sheet[1, 1] == [0] && sheet[4, 1] == [255] && sheet[5, 1] == [0])
    // The missing fourth tile stays background.
    #expect(sheet[5, 4] == [255])
  }

  @Test func upscalingRepeatsPixels() {
    let image = Image(width: 2, height: 1, channels: 1, pixels: [10, 200])
    let big = image.upscaled(by: 3)
    #expect(big.width == 6 && big.height == 3)
    #expect(
      big.pixels == [10, 10, 10, 200, 200, 200] + [10, 10, 10, 200, 200, 200] + [
        10, 10, 10, 200, 200, 200,
      ])
  }

  @Test func heatScaleRunsFromPurpleToYellow() {
    #expect(ColorMap.heat(0) == [68, 1, 84])
    #expect(ColorMap.heat(1) == [253, 231, 37])
    #expect(ColorMap.heat(2) == ColorMap.heat(1) && ColorMap.heat(-1) == ColorMap.heat(0))
    // Brightness rises monotonically.
    let luma = stride(from: 0.0, through: 1, by: 0.1).map { v -> Int in
      let c = ColorMap.heat(v)
      return Int(c[0]) * 299 + Int(c[1]) * 587 + Int(c[2]) * 114
    }
    #expect(luma == luma.sorted())
  }

  @Test func textIsDrawn() {
    var image = Image(width: 40, height: 9, fill: [255, 255, 255])
    image.drawText("Ab1", atX: 1, y: 1, color: [0, 0, 0])
    let dark = stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] == 0 }.count
    #expect(dark > 20)
    #expect(BitmapFont.width(of: "Ab1") == 17)
  }

  @Test func intensitiesMapToBytes() {
    #expect(Image(width: 3, height: 1, intensities: [-1, 0.5, 2]).pixels == [0, 128, 255])
  }
}

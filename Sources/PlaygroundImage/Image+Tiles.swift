extension Image {
  /// The tiles of a sample sheet made by ``grid(_:columns:gutter:background:)``: the rectangles
  /// between gutter rows and columns (lines entirely of the border pixel's colour), row by row.
  /// A picture without such gutters, or whose pieces differ in size (not a sheet), is one tile.
  public var tiles: [(x: Int, y: Int, width: Int, height: Int)] {
    let border = Array(pixels[0..<channels])
    func pixel(_ x: Int, _ y: Int) -> ArraySlice<UInt8> {
      let start = (y * width + x) * channels
      return pixels[start..<(start + channels)]
    }
    let gutterRows = (0..<height).map { y in (0..<width).allSatisfy { pixel($0, y) == border[...] }
    }
    let gutterColumns = (0..<width).map { x in
      (0..<height).allSatisfy { pixel(x, $0) == border[...] }
    }
    func bands(_ gutter: [Bool]) -> [(Int, Int)] {
      var bands: [(Int, Int)] = []
      var start: Int?
      for (index, isGutter) in (gutter + [true]).enumerated() {
        if !isGutter && start == nil { start = index }
        if isGutter, let first = start {
          bands.append((first, index - first))
          start = nil
        }
      }
      return bands
    }
    let rows = bands(gutterRows)
    let columns = bands(gutterColumns)
    guard !rows.isEmpty, !columns.isEmpty, Set(rows.map(\.1)).count == 1,
      Set(columns.map(\.1)).count == 1
    else { return [(0, 0, width, height)] }
    return rows.flatMap { row in columns.map { ($0.0, row.0, $0.1, row.1) } }
  }

  /// The rectangle at `x, y` of size `width × height`.
  public func cropped(x: Int, y: Int, width: Int, height: Int) -> Image {
    precondition(
      x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= self.width
        && y + height <= self.height, "crop outside the image")
    var result: [UInt8] = []
    result.reserveCapacity(width * height * channels)
    for row in y..<(y + height) {
      let start = (row * self.width + x) * channels
      result += pixels[start..<(start + width * channels)]
    }
    return Image(width: width, height: height, channels: channels, pixels: result)
  }
}

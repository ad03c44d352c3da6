import PlaygroundImage

/// Pictures shared by the generative kinds.
enum SampleSheets {
  /// Sample tiles 10 to a row: twice their size with 2-pixel gutters, or, `plain`, at their size
  /// without gutters (what `gan score` cuts into tiles).
  static func sheet(_ tiles: [Image], plain: Bool) -> Image {
    Image.grid(
      plain ? tiles : tiles.map { $0.upscaled(by: 2) }, columns: 10, gutter: plain ? 0 : 2,
      background: [128])
  }

  /// Up to five epochs' sheets side by side, captioned with their epoch.
  static func progress(_ sheets: [Image]) -> Image {
    let count = sheets.count
    let picks = Array(
      Set((0..<min(5, count)).map { count == 1 ? 0 : $0 * (count - 1) / (min(5, count) - 1) })
    ).sorted()
    let (width, height) = (sheets[0].width, sheets[0].height)
    var image = Image(
      width: picks.count * (width + 8) + 8, height: height + 24, fill: [255, 255, 255])
    for (k, index) in picks.enumerated() {
      let x = 8 + k * (width + 8)
      image.drawText("EPOCH \(index + 1)", atX: x, y: 6, color: [0, 0, 0])
      image.draw(sheets[index], atX: x, y: 18)
    }
    return image
  }
}

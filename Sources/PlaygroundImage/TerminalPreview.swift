/// A picture drawn with text, for `playground inspect`: 24-bit colour upper half blocks (`▀`,
/// two pixels a character, one above the other) or, without colour, a grayscale ramp of ASCII
/// characters.
public enum TerminalPreview {
  /// Dark to bright, for a dark terminal.
  static let ramp = Array(" .:-=+*#%@")

  /// The picture `columns` characters wide, aspect ratio kept (a character is half as wide as
  /// it is tall).
  public static func render(_ image: Image, columns: Int, color: Bool) -> String {
    let columns = max(1, columns)
    let pixelRows = max(
      2, Int((Double(image.height) * Double(columns) / Double(image.width)).rounded()))
    let rows = (pixelRows + 1) / 2
    let rgb = resample(image, width: columns, height: rows * 2)
    var text = ""
    for row in 0..<rows {
      for column in 0..<columns {
        let top = rgb[(2 * row) * columns + column]
        let bottom = rgb[(2 * row + 1) * columns + column]
        if color {
          text +=
            "\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
        } else {
          let luma =
            (0.299 * Double(top.0 + bottom.0) + 0.587 * Double(top.1 + bottom.1) + 0.114
              * Double(top.2 + bottom.2)) / 2
          text.append(ramp[min(ramp.count - 1, Int(luma / 256 * Double(ramp.count)))])
        }
      }
      text += color ? "\u{1B}[0m\n" : "\n"
    }
    return text
  }

  /// Area-averaged RGB at `width × height` (alpha composited over black).
  static func resample(_ image: Image, width: Int, height: Int) -> [(Int, Int, Int)] {
    let rgb = image.converted(toChannels: image.channels == 4 ? 4 : 3)
    var result: [(Int, Int, Int)] = []
    result.reserveCapacity(width * height)
    for y in 0..<height {
      let y0 = y * image.height / height
      let y1 = max(y0 + 1, (y + 1) * image.height / height)
      for x in 0..<width {
        let x0 = x * image.width / width
        let x1 = max(x0 + 1, (x + 1) * image.width / width)
        var sum = (0, 0, 0)
        for sy in y0..<y1 {
          for sx in x0..<x1 {
            let i = (sy * image.width + sx) * rgb.channels
            let alpha = rgb.channels == 4 ? Int(rgb.pixels[i + 3]) : 255
            sum.0 += Int(rgb.pixels[i]) * alpha / 255
            sum.1 += Int(rgb.pixels[i + 1]) * alpha / 255
            sum.2 += Int(rgb.pixels[i + 2]) * alpha / 255
          }
        }
        let count = (y1 - y0) * (x1 - x0)
        result.append((sum.0 / count, sum.1 / count, sum.2 / count))
      }
    }
    return result
  }
}

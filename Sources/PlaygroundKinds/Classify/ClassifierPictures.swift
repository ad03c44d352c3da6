import PlaygroundClassifier
import PlaygroundData
import PlaygroundImage

/// The pictures of a classifier run.
public enum ClassifierPictures {
  /// The confusion matrix as a heat map: rows are true classes, columns predictions, each cell
  /// coloured by the share of its row and labelled with its count.
  public static func confusion(_ evaluation: Evaluation, classNames: [String]) -> Image {
    let n = evaluation.confusion.count
    let cell = 40
    let margin = 44
    var image = Image(
      width: margin + n * cell + 8, height: margin + n * cell + 8, fill: [255, 255, 255])
    image.drawText("PREDICTED", atX: margin, y: 4, color: [0, 0, 0])
    for (row, counts) in evaluation.confusion.enumerated() {
      let total = max(counts.reduce(0, +), 1)
      for (column, count) in counts.enumerated() {
        let color = ColorMap.heat(Double(count) / Double(total))
        let (x, y) = (margin + column * cell, margin + row * cell)
        image.draw(Image(width: cell - 1, height: cell - 1, fill: color), atX: x, y: y)
        let text = String(count)
        image.drawText(
          text, atX: x + (cell - BitmapFont.width(of: text)) / 2, y: y + (cell - 7) / 2,
          color: ColorMap.textColor(on: color))
      }
      let label = String(classNames[row].prefix(5))
      image.drawText(label, atX: 2, y: margin + row * cell + (cell - 7) / 2, color: [0, 0, 0])
    }
    for column in 0..<n {
      let label = String(classNames[column].prefix(5))
      image.drawText(
        label, atX: margin + column * cell + (cell - BitmapFont.width(of: label)) / 2, y: 20,
        color: [0, 0, 0])
    }
    image.drawText("TRUE", atX: 2, y: 30, color: [0, 0, 0])
    return image
  }

  /// Up to `limit` misclassified images, twice their size, each captioned `true>predicted`
  /// (a note saying so when there are none).
  public static func mistakes(
    _ images: LabeledImages, evaluation: Evaluation, classNames: [String], limit: Int = 100
  ) -> Image {
    let labels = images.labels.map(Int.init)
    let wrong = evaluation.mistakes(labels: labels).prefix(limit)
    guard !wrong.isEmpty else {
      var note = Image(width: 120, height: 20, fill: [255])
      note.drawText("NO MISTAKES", atX: 8, y: 6, color: [0])
      return note
    }
    let tiles = wrong.map { index -> Image in
      let digit = Image(
        width: images.columns, height: images.rows, channels: 1, pixels: Array(images.image(index))
      )
      .upscaled(by: 2)
      var tile = Image(width: digit.width, height: digit.height + 10, fill: [255])
      tile.draw(digit, atX: 0, y: 0)
      let caption =
        "\(classNames[labels[index]].prefix(4))>\(classNames[evaluation.predictions[index]].prefix(4))"
      tile.drawText(String(caption.prefix(9)), atX: 1, y: digit.height + 2, color: [0])
      return tile
    }
    return Image.grid(tiles, columns: 10, gutter: 2, background: [200])
  }

  /// The bias report as bars: each class's accuracy (recall) and precision on the test split,
  /// its name carrying its count of training images.
  public static func perClass(
    _ evaluation: Evaluation, classNames: [String], trainCounts: [Int]
  ) -> Image {
    let names = classNames.enumerated().map { c, name in
      "\(name.prefix(8)) \(c < trainCounts.count ? String(trainCounts[c]) : "")"
    }
    return BarChart(
      title: "Per class: accuracy and precision", valueLabel: "share of test images",
      categories: names,
      series: [
        .init(
          name: "accuracy (recall)", color: LineChart.palette[0],
          values: evaluation.perClassAccuracy),
        .init(name: "precision", color: LineChart.palette[1], values: evaluation.perClassPrecision),
      ]
    ).render()
  }
}

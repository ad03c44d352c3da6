import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundImage
import PlaygroundRuns

/// What a classify run's model looks at: for chosen test images, heat maps of the attribution
/// of the predicted class's logit to each pixel (``AttributionMethod``) beside the image —
/// `playground explain RUN_DIR`, written to `saliency.png`.
public struct ClassifierExplanation {
  public let classifier: ImageClassifier
  public let test: LabeledImages
  public let classNames: [String]
  let attribution: Attribution

  /// The run at `folder` (its `config.yaml` and `model.safetensors`) with its data set's test
  /// images.
  /// - Throws: ``RunError`` when `folder` is not a classify run or its model cannot be read.
  public init(run folder: URL, sources: DataSources) throws {
    let data: ClassifierData
    (classifier, data) = try ClassifierRun.trained(run: folder, sources: sources)
    test = data.test
    classNames = data.classNames
    attribution = Attribution(network: classifier.network, rows: test.rows, columns: test.columns)
  }

  /// Test image `index`'s pixels as the model sees them.
  public func pixels(_ index: Int) -> [Float] {
    return test.image(index).map(classifier.config.modelInput)
  }

  /// Where test image `index`'s attribution to class `target` falls: the share of its
  /// |attribution| on the digit's ink (pixels brighter than 0) and the share of the pixels that
  /// ink is. A model that looks at the strokes puts more of the first than of the second there.
  public func inkShare(_ index: Int, target: Int, method: AttributionMethod)
    -> (attribution: Double, pixels: Double)
  {
    let pixels = self.pixels(index)
    let scores = attribution.attribute(pixels, target: target, method: method).map(abs)
    let ink = pixels.indices.filter { pixels[$0] > 0 }
    let total = scores.reduce(0, +)
    let onInk = ink.reduce(Float(0)) { $0 + scores[$1] }
    return (
      total > 0 ? Double(onInk / total) : 0, Double(ink.count) / Double(max(pixels.count, 1))
    )
  }

  /// The predicted class of each test image.
  public func predictions() -> [Int] { classifier.evaluate(test).predictions }

  /// For each class, the first test image classified right and the first classified wrong
  /// (when there is one), in class order.
  public func chosenImages(_ predictions: [Int]) -> [Int] {
    let labels = test.labels.map(Int.init)
    var chosen: [Int] = []
    for label in classNames.indices {
      let mine = labels.indices.filter { labels[$0] == label }
      if let right = mine.first(where: { predictions[$0] == label }) { chosen.append(right) }
      if let wrong = mine.first(where: { predictions[$0] != label }) { chosen.append(wrong) }
    }
    return chosen
  }

  /// One row per image: the image, then one heat map per method of |attribution| of the
  /// predicted class (each scaled to its own largest value), captioned `true>predicted`.
  public func picture(images: [Int], methods: [AttributionMethod], predictions: [Int]) -> Image {
    let scale = 3
    let height = test.rows * scale
    var tiles: [Image] = []
    for index in images {
      let predicted = predictions[index]
      var digit = Image(
        width: test.columns, height: test.rows, channels: 1, pixels: Array(test.image(index))
      ).upscaled(by: scale).converted(toChannels: 3)
      let caption =
        "\(classNames[Int(test.labels[index])].prefix(4))>\(classNames[predicted].prefix(4))"
      digit.drawText(String(caption.prefix(9)), atX: 2, y: height - 9, color: [255, 64, 64])
      tiles.append(digit)
      for method in methods {
        let scores = attribution.attribute(
          pixels(index), target: predicted, method: method, seed: UInt64(index)
        )
        .map { abs(Double($0)) }
        let top = max(scores.max() ?? 0, 1e-12)
        var map = Image(width: test.columns, height: test.rows, fill: [0, 0, 0])
        for (pixel, score) in scores.enumerated() {
          map.set(pixel % test.columns, pixel / test.columns, ColorMap.heat(score / top))
        }
        tiles.append(map.upscaled(by: scale))
      }
    }
    let gutter = 2
    let grid = Image.grid(
      tiles, columns: methods.count + 1, gutter: gutter, background: [200, 200, 200])
    // Column titles above the grid.
    let header = 14
    var sheet = Image(width: grid.width, height: grid.height + header, fill: [255, 255, 255])
    let tileWidth = test.columns * scale
    for (column, title) in (["IMAGE"] + methods.map(\.title)).enumerated() {
      sheet.drawText(
        title, atX: gutter + column * (tileWidth + gutter) + 2, y: 4, color: [0, 0, 0])
    }
    sheet.draw(grid, atX: 0, y: header)
    return sheet
  }
}

extension AttributionMethod {
  /// The column title in `saliency.png`.
  public var title: String {
    switch self {
    case .vanilla: return "GRADIENT"
    case .smoothgrad: return "SMOOTHGRAD"
    case .integrated: return "INTEGRATED"
    }
  }
}

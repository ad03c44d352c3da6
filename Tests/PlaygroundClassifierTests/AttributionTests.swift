import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import Testing
import TestSupport

/// Attribution on classifiers trained on the synthetic bars (each class a bright bar at its own
/// rows, on a dim noisy background).
@Suite(.onEveryBackend) struct AttributionTests {
  static let size = ImageClassifierTests.size

  static func trained(_ kind: ClassifierModelKind) throws -> ImageClassifier {
    var config = ClassifierConfig()
    config.model = kind
    config.hiddenUnits = 16
    config.batchSize = 8
    let classifier = try ImageClassifier(
      config: config, rows: size, columns: size, classes: 4, generator: RandomGenerator(seed: 1))
    let train = ImageClassifierTests.bars(count: 96, seed: 2)
    for _ in 0..<4 { classifier.trainEpoch(train) }
    return classifier
  }

  /// The scaled pixels of test image `index`, and its label.
  static func image(_ images: LabeledImages, _ index: Int) -> ([Float], Int) {
    let pixels = size * size
    let start = index * pixels
    return (
      images.pixels[start..<start + pixels].map { Float($0) / 255 }, Int(images.labels[index])
    )
  }

  /// Sundararajan et al.'s completeness axiom: the attributions add up to f(x) − f(baseline).
  @Test(arguments: [ClassifierModelKind.mlp, .cnn])
  func integratedGradientsAreComplete(_ kind: ClassifierModelKind) throws {
    let classifier = try Self.trained(kind)
    let attribution = Attribution(network: classifier.network, rows: Self.size, columns: Self.size)
    let images = ImageClassifierTests.bars(count: 8, seed: 5)
    for index in 0..<8 {
      let (image, label) = Self.image(images, index)
      for target in [label, (label + 1) % 4] {
        let result = attribution.integratedGradients(image, target: target)
        let total = result.attributions.reduce(0, +)
        let difference = result.score - result.baselineScore
        #expect(
          abs(total - difference) <= 0.01 * abs(difference) + 1e-4,
          "\(kind) image \(index) class \(target): sum \(total), f(x) − f(0) \(difference)")
      }
    }
  }

  /// A trained model's attributions fall on the bar (the "digit's" own pixels), not on the
  /// background: more mass per pixel there — for SmoothGrad and integrated gradients on every
  /// image; for the noisier plain gradient over the images together. (A gradient also falls on
  /// the other classes' bar rows, whose brightness would change the score: the background's
  /// share stays large for the gradient methods, small for integrated gradients.)
  @Test(arguments: AttributionMethod.allCases)
  func attributionsFallOnTheBar(_ method: AttributionMethod) throws {
    let classifier = try Self.trained(.mlp)
    let attribution = Attribution(network: classifier.network, rows: Self.size, columns: Self.size)
    let images = ImageClassifierTests.bars(count: 8, seed: 6)
    var (allBar, allBackground) = ([Float](), [Float]())
    let mean = { (values: [Float]) in values.reduce(0, +) / Float(values.count) }
    defer {
      // Integrated gradients weigh each gradient by the pixel's own brightness: far more.
      let factor: Float = method == .integrated ? 3 : 1
      #expect(
        mean(allBar) > factor * mean(allBackground),
        "\(method): bar \(mean(allBar)), background \(mean(allBackground))")
    }
    for index in 0..<8 {
      let (image, label) = Self.image(images, index)
      let scores = attribution.attribute(image, target: label, method: method, seed: 3).map(abs)
      var (bar, background) = ([Float](), [Float]())
      for (pixel, score) in scores.enumerated() {
        let row = pixel / Self.size
        if row == label * 3 || row == label * 3 + 1 {
          bar.append(score)
        } else {
          background.append(score)
        }
      }
      allBar += bar
      allBackground += background
      if method != .vanilla {
        #expect(
          mean(bar) > mean(background),
          "\(method) image \(index): bar \(mean(bar)), background \(mean(background))")
      }
    }
  }

  /// The gradient is the derivative: checked against central differences of the logit.
  @Test func theGradientMatchesFiniteDifferences() throws {
    let classifier = try Self.trained(.cnn)
    let attribution = Attribution(network: classifier.network, rows: Self.size, columns: Self.size)
    let (image, label) = Self.image(ImageClassifierTests.bars(count: 1, seed: 7), 0)
    let gradient = attribution.logitGradients([image], target: label)[0].gradient
    for pixel in [0, 13, 40, 77, 143] {
      var (up, down) = (image, image)
      up[pixel] += 1e-2
      down[pixel] -= 1e-2
      let values = attribution.logitGradients([up, down], target: label).map(\.logit)
      let numeric = (values[0] - values[1]) / 2e-2
      #expect(
        abs(numeric - gradient[pixel]) <= 2e-2 * max(1, abs(numeric)),
        "pixel \(pixel): \(numeric) vs \(gradient[pixel])")
    }
  }
}

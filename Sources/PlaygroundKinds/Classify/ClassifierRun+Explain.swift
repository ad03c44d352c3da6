import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundImage

extension ClassifierRun: ExplainableRun {
  /// Saliency maps of test images — by default, per class, the first classified right and the
  /// first classified wrong — with each method of ``AttributionMethod``; for one image
  /// (`request.image`) also the integrated-gradients check and each method's share on the ink.
  /// Drawn to `saliency.png`.
  public func explain(run folder: URL, _ request: ExplainRequest) throws {
    let explanation = try ClassifierExplanation(run: folder, sources: request.sources)
    let predictions = explanation.predictions()
    var images = explanation.chosenImages(predictions)
    let methods = request.method.map { [$0] } ?? AttributionMethod.allCases
    if let image = request.image {
      guard image < explanation.test.count else {
        throw RunError(
          "--image \(image): the test split has images 0–\(explanation.test.count - 1)")
      }
      images = [image]
      sayCheck(of: image, explanation, predictions, request.say)
      for method in methods {
        sayInkShare(of: image, method, explanation, predictions, request.say)
      }
    }
    let picture = explanation.picture(images: images, methods: methods, predictions: predictions)
    let url = request.output ?? folder.appendingPathComponent("saliency.png")
    try PNG.write(picture, to: url)
    request.say("\(images.count) image\(images.count == 1 ? "" : "s") explained → \(url.path)")
  }

  /// Integrated gradients' completeness: their sum against the logit's change.
  private func sayCheck(
    of image: Int, _ explanation: ClassifierExplanation, _ predictions: [Int],
    _ say: (String) -> Void
  ) {
    let predicted = predictions[image]
    let check = Attribution(
      network: explanation.classifier.network, rows: explanation.test.rows,
      columns: explanation.test.columns
    ).integratedGradients(explanation.pixels(image), target: predicted)
    let total = check.attributions.reduce(0, +)
    say(
      "test image \(image): \(explanation.classNames[Int(explanation.test.labels[image])]), predicted \(explanation.classNames[predicted])"
    )
    say(
      String(
        format:
          "integrated gradients: attributions sum to %.4f; the logit goes %.4f → %.4f (change %.4f, %.2f%% apart)",
        total, check.baselineScore, check.score, check.score - check.baselineScore,
        100 * abs(total - (check.score - check.baselineScore))
          / max(abs(check.score - check.baselineScore), 1e-9)))
  }

  /// The share of `method`'s |attribution| on the digit's ink against the share of pixels it is.
  private func sayInkShare(
    of image: Int, _ method: AttributionMethod, _ explanation: ClassifierExplanation,
    _ predictions: [Int], _ say: (String) -> Void
  ) {
    let (attribution, pixels) = explanation.inkShare(
      image, target: predictions[image], method: method)
    // Integrated gradients from a black baseline give the background nothing.
    let perPixel =
      attribution >= 1
      ? "none on the background"
      : String(
        format: "%.1f× the background per pixel",
        (attribution / max(pixels, 1e-9)) / ((1 - attribution) / max(1 - pixels, 1e-9)))
    say(
      String(
        format: "%@: %.0f%% of the |attribution| on the digit's ink, %.0f%% of the pixels (%@)",
        method.rawValue, attribution * 100, pixels * 100, perPixel))
  }
}

import ArgumentParser
import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundData
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns

/// `playground explain RUN_DIR`: what a classify run's model looks at.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show which pixels a classify run's model bases its decisions on (saliency maps).",
    discussion: """
      For test images of a classify run — by default, per class, the first classified right and the first classified wrong — draws the attribution of the predicted class's logit to each pixel beside the image: the plain input gradient (Simonyan et al. 2014), SmoothGrad (Smilkov et al. 2017: the gradient averaged over 25 noisy copies) and integrated gradients (Sundararajan et al. 2017: from a black image, 128 steps; their sum equals the logit's change, which --image N prints). Heat maps show |attribution|, each scaled to its own largest value. Written to RUN_DIR/saliency.png (or --output).

      Examples:
        playground explain outputs/classify-mnist/latest
        playground explain outputs/classify-mnist/latest --image 8 --method integrated
      """)

  @Argument(
    help: ArgumentHelp(
      "A classify run folder (outputs/classify-mnist/latest).", valueName: "run-dir"))
  var runFolder: String

  @Option(help: "Explain only test image N (from 0), and print its integrated-gradients check.")
  var image: Int?

  @Option(help: "One method only: vanilla, smoothgrad or integrated (default: all three).")
  var method: AttributionMethod?

  @Option(help: "Where to write the picture (default: RUN_DIR/saliency.png).")
  var output: String?

  @OptionGroup var data: DataOptions

  func validate() throws {
    if let image, image < 0 { throw ValidationError("--image must be 0 or more, got \(image)") }
  }

  func run() throws {
    let folder = URL(fileURLWithPath: runFolder).resolvingSymlinksInPath()
    let summary = (try? Summary.read(folder.appendingPathComponent("summary.json"))) ?? [:]
    if summary["agent"] as? String == "dqn" {
      try explainQNetwork(folder)
      return
    }
    let explanation = try ClassifierExplanation(
      run: folder, sources: DataSources.fromEnvironment(dataDirectory: data.dataDir))
    let predictions = explanation.predictions()
    var images = explanation.chosenImages(predictions)
    if let image {
      guard image < explanation.test.count else {
        throw RunError(
          "--image \(image): the test split has images 0–\(explanation.test.count - 1)")
      }
      images = [image]
      let predicted = predictions[image]
      let check = Attribution(
        network: explanation.classifier.network, rows: explanation.test.rows,
        columns: explanation.test.columns
      ).integratedGradients(explanation.pixels(image), target: predicted)
      let total = check.attributions.reduce(0, +)
      print(
        "test image \(image): \(explanation.classNames[Int(explanation.test.labels[image])]), predicted \(explanation.classNames[predicted])"
      )
      print(
        String(
          format:
            "integrated gradients: attributions sum to %.4f; the logit goes %.4f → %.4f (change %.4f, %.2f%% apart)",
          total, check.baselineScore, check.score, check.score - check.baselineScore,
          100 * abs(total - (check.score - check.baselineScore))
            / max(abs(check.score - check.baselineScore), 1e-9)))
    }
    let methods = method.map { [$0] } ?? AttributionMethod.allCases
    if let image {
      for method in methods {
        let (attribution, pixels) = explanation.inkShare(
          image, target: predictions[image], method: method)
        // Integrated gradients from a black baseline give the background nothing.
        let perPixel =
          attribution >= 1
          ? "none on the background"
          : String(
            format: "%.1f× the background per pixel",
            (attribution / max(pixels, 1e-9)) / ((1 - attribution) / max(1 - pixels, 1e-9)))
        print(
          String(
            format: "%@: %.0f%% of the |attribution| on the digit's ink, %.0f%% of the pixels (%@)",
            method.rawValue, attribution * 100, pixels * 100, perPixel))
      }
    }
    let picture = explanation.picture(images: images, methods: methods, predictions: predictions)
    let url =
      try output.map { try OutputFile.resolve($0, option: "--output") }
      ?? folder.appendingPathComponent("saliency.png")
    try PNG.write(picture, to: url)
    print("\(images.count) image\(images.count == 1 ? "" : "s") explained → \(url.path)")
  }

  /// A cart-pole DQN run: its greedy action and Q gap over the angle × angular-velocity slice.
  func explainQNetwork(_ folder: URL) throws {
    if image != nil || method != nil {
      throw RunError(
        "--image and --method are for classify runs; a DQN run is explained by its policy map")
    }
    let job = try CartPoleRun(configAt: folder.appendingPathComponent("config.yaml"))
    let map = try CartPolePolicyMap(run: folder, physics: job.environment)
    let gaps = map.gaps()
    let url =
      try output.map { try OutputFile.resolve($0, option: "--output") }
      ?? folder.appendingPathComponent("policy.png")
    try PNG.write(map.picture(), to: url)
    let right = Double(gaps.filter { $0 > 0 }.count) / Double(gaps.count)
    print(
      String(
        format:
          "pushes right in %.0f%% of the slice (angle ±%.0f°, angular velocity ±%.0f rad/s, cart at rest in the middle); largest Q gap %.3g",
        right * 100, job.environment.thetaThresholdDegrees, map.maximumVelocity,
        gaps.map(abs).max() ?? 0))
    print("policy map → \(url.path)")
  }
}

extension AttributionMethod: ExpressibleByArgument {}

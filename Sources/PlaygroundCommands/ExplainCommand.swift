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
    let explainable = try RunKinds.job(
      ofRun: folder, as: (any ExplainableRun).self,
      refusal: ": explain draws \(RunKinds.explainableKinds) runs")
    try explainable.explain(
      run: folder,
      ExplainRequest(
        image: image, method: method,
        output: try output.map {
          try OutputFile.resolve(
            $0, option: "--output", run: folder, own: ["saliency.png", "policy.png"])
        },
        sources: DataSources.fromEnvironment(dataDirectory: data.dataDir)))
  }
}

extension AttributionMethod: ExpressibleByArgument {}

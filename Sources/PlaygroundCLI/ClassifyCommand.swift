import ArgumentParser
import Foundation
import PlaygroundClassifier
import PlaygroundData
import PlaygroundRuns
import PlaygroundScenarios

extension DatasetName: ExpressibleByArgument {}
extension ClassifierModelKind: ExpressibleByArgument {}

/// `playground classify mnist|fashion`: the classic Keras example, trained on the shared core.
struct ClassifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Train an image classifier (the Keras MNIST example by default) and evaluate it.",
    discussion: """
      Default: Flatten → Dense(128, relu) → Dense(10, softmax), Adam (lr 1e-3, eps 1e-7), sparse categorical cross-entropy, batch 32, 5 epochs, pixels scaled to [0, 1]. The run folder gets config.yaml, metrics.csv, confusion.png, mistakes.png, model.safetensors and summary.json.

      Examples:
        playground classify mnist
        playground classify mnist --model cnn --epochs 10
        playground classify fashion --raw-pixels
        playground classify mnist --config outputs/classify-mnist/latest/config.yaml
        playground classify mnist --evaluate-only --checkpoint model.safetensors

      'playground classify mnist' is the same as 'playground run scenarios/classify-mnist.yaml'.
      """)

  @Argument(help: "The data set: mnist or fashion.")
  var dataset: DatasetName

  @Option(help: "The architecture: mlp (Keras' example) or cnn (LeNet-5 style).")
  var model: ClassifierModelKind?

  @Option(help: "Passes over the training images.")
  var epochs: Int?

  @Option(help: "Images per gradient step.")
  var batchSize: Int?

  @Option(help: "Adam's learning rate.")
  var learningRate: Double?

  @Flag(help: "Feed unscaled 0–255 pixels, as the Keras example does.")
  var rawPixels = false

  @Option(help: "Train on only N training images, picked at random (seeded).")
  var trainLimit: Int?

  @Option(
    help:
      "Settings from a YAML file (agents/classifier.yaml, or a run's config.yaml); flags override it."
  )
  var config: String?

  @Flag(help: "Evaluate --checkpoint on the test split instead of training.")
  var evaluateOnly = false

  @Option(help: "A model.safetensors written by an earlier classify run.")
  var checkpoint: String?

  @OptionGroup var data: DataOptions
  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    if evaluateOnly && checkpoint == nil {
      throw ValidationError("--evaluate-only needs --checkpoint FILE")
    }
    if checkpoint != nil && !evaluateOnly {
      throw ValidationError("--checkpoint is used with --evaluate-only")
    }
  }

  /// Defaults, then the config file, then explicit flags.
  func settings() throws -> ClassifierConfig {
    var settings = ClassifierConfig()
    if let config {
      settings = try ClassifierConfig.read(URL(fileURLWithPath: config), defaults: settings)
    }
    settings.dataset = dataset
    if let model { settings.model = model }
    if let epochs { settings.epochs = epochs }
    if let batchSize { settings.batchSize = batchSize }
    if let learningRate { settings.learningRate = learningRate }
    if rawPixels { settings.rawPixels = true }
    if let trainLimit { settings.trainLimit = trainLimit }
    if let seed = runOptions.seed { settings.seed = seed }
    try settings.validate()
    return settings
  }

  func run() throws {
    let sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    guard let checkpoint else {
      try ScenarioJob.classify(try settings()).run(
        outputDirectory: runOptions.outputURL, sources: sources, quiet: runOptions.quiet)
      return
    }
    var job = ClassifierRun(
      config: try settings(), sources: DataSources.fromEnvironment(dataDirectory: data.dataDir),
      outputDirectory: runOptions.outputURL)
    job.quiet = runOptions.quiet
    job.checkpoint = URL(fileURLWithPath: checkpoint)
    try job.run()
  }
}

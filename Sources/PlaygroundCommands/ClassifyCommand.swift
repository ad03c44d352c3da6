import ArgumentParser
import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns

extension DatasetName: ExpressibleByArgument {}
extension ClassifierModelKind: ExpressibleByArgument {}
extension ClassifierOptimizer: ExpressibleByArgument {}

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
        playground classify fashion --dp --target-epsilon 3

      'playground classify mnist' is the same as 'playground run scenarios/classify-mnist.yaml'.
      """)

  @Argument(help: "The data set: mnist or fashion.")
  var dataset: DatasetName

  @Option(
    help:
      "The architecture: mlp (Keras' example), cnn (LeNet-5 style), lstm, gru or dpcnn (Opacus's example)."
  )
  var model: ClassifierModelKind?

  @Option(help: "Passes over the training images.")
  var epochs: Int?

  @Option(help: "Images per gradient step.")
  var batchSize: Int?

  @Option(help: "The optimizer's step size.")
  var learningRate: Double?

  @Option(help: "adam or sgd.")
  var optimizer: ClassifierOptimizer?

  @Flag(
    help:
      "Train with DP-SGD (Opacus's example network and settings unless --model or --config say otherwise)."
  )
  var dp = false

  @Option(help: "With --dp: σ, the noise in units of --max-grad-norm.")
  var noiseMultiplier: Double?

  @Option(help: "With --dp: the ε to spend by the end of training; σ is found for it.")
  var targetEpsilon: Double?

  @Option(help: "With --dp: C, the largest norm an example's gradient keeps.")
  var maxGradNorm: Double?

  @Option(help: "With --dp: the δ of (ε, δ); below 1/N.")
  var delta: Double?

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

  @Option(
    name: .customLong("init-from"),
    help: "Start from another classify run's weights (its folder or model.safetensors): transfer.")
  var initFrom: String?

  @Option(help: "With --init-from: keep the first N layers with weights fixed; train the rest.")
  var freeze: Int?

  @OptionGroup var data: DataOptions
  @OptionGroup var runOptions: RunOptions
  @OptionGroup var compute: ComputeOptions

  func validate() throws {
    if evaluateOnly && checkpoint == nil {
      throw ValidationError("--evaluate-only needs --checkpoint FILE")
    }
    if checkpoint != nil && !evaluateOnly {
      throw ValidationError("--checkpoint is used with --evaluate-only")
    }
    if !dp && [noiseMultiplier, targetEpsilon, maxGradNorm, delta].contains(where: { $0 != nil }) {
      throw ValidationError(
        "--noise-multiplier, --target-epsilon, --max-grad-norm and --delta set DP-SGD: add --dp")
    }
    if evaluateOnly && (initFrom != nil || freeze != nil) {
      throw ValidationError(
        "--init-from and --freeze start a training from other weights; --evaluate-only trains nothing: drop one"
      )
    }
  }

  /// The config file's settings (or the defaults), then the flags as overrides.
  func job() throws -> ClassifierRun {
    // A model named alone starts from its own defaults (agents/<model>.yaml), as a scenario's
    // `agent:` does.
    let preset = model?.rawValue ?? (dp ? "dp-cnn" : nil)
    guard
      var base = try ClassifierRun.job(
        subject: dataset.rawValue, agent: preset, resolve: RunKinds.existingFile)
    else { throw RunError("--model \(model?.rawValue ?? "") does not name a classifier") }
    if let config { base = try ClassifierRun(configAt: URL(fileURLWithPath: config)) }
    var overrides = Overrides()
    overrides["dataset"] = dataset.rawValue
    overrides["model"] = model?.rawValue
    overrides["epochs"] = epochs
    overrides["batch_size"] = batchSize
    overrides["learning_rate"] = learningRate
    overrides["optimizer"] = optimizer?.rawValue
    if dp {
      overrides["privacy.enabled"] = true
      overrides["privacy.noise_multiplier"] = noiseMultiplier
      overrides["privacy.target_epsilon"] = targetEpsilon
      overrides["privacy.max_grad_norm"] = maxGradNorm
      overrides["privacy.delta"] = delta
    }
    overrides["raw_pixels"] = rawPixels ? true : nil
    overrides["train_limit"] = trainLimit
    overrides["seed"] = runOptions.seed
    compute.add(to: &overrides)
    overrides["init_from"] = initFrom
    overrides["freeze"] = freeze
    var job = try overrides.applied(to: base)
    job.checkpoint = checkpoint.map { URL(fileURLWithPath: $0) }
    return job
  }

  func run() throws {
    let job = try job()
    _ = try job.run(in: runOptions.context(for: job, dataDirectory: data.dataDir))
  }
}

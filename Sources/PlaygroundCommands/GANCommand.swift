import ArgumentParser
import Foundation
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns

extension GANModelKind: ExpressibleByArgument {}

/// `playground gan …`: generative adversarial networks that draw digits.
struct GANCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gan",
    abstract: "Train a GAN that draws digits, and sample from saved generators.",
    discussion: """
      Examples:
        playground gan mnist --epochs 20
        playground gan mnist --model mlp --unconditional
        playground gan sample --checkpoint outputs/gan-mnist/latest/generator.safetensors --digit 7
        playground gan score torch-samples/grid*.png
      """,
    subcommands: [GANTrainCommand.self, GANSampleCommand.self, GANScoreCommand.self],
    defaultSubcommand: GANTrainCommand.self)
}

/// `playground gan [train] mnist|fashion`.
struct GANTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a GAN; a 10×10 sample sheet from fixed noise is written every epoch.",
    discussion: """
      Default: 5 minutes of training of a conditional small DCGAN (generator Dense → 128×7×7 → ConvT → 64 → ConvT → 1 with batch norm; discriminator Conv 64 → Conv 128 with batch norm, the label as an extra channel), latent 64, batch 64, Adam 2e-4 β1 0.5, one-sided label smoothing 0.9. The run folder gets samples/epoch-NNN.png, samples/final.png, losses.png, metrics.csv, generator.safetensors, discriminator.safetensors, config.yaml and summary.json.

      Examples:
        playground gan mnist
        playground gan mnist --minutes 1
        playground gan train fashion --epochs 10
        playground gan mnist --model mlp --unconditional --seed 2
        playground gan --resume outputs/gan-mnist/20261129-061500-seed0

      'playground gan mnist' is the same as 'playground run scenarios/gan-mnist.yaml'.

      Ctrl-C stops after the current step and saves the run (networks, optimizer moments, random streams) so that --resume continues it with the same results as an uninterrupted run of the same seed (with an --epochs budget; a --minutes budget depends on the clock). A second Ctrl-C quits without saving.
      """)

  @Argument(help: "The data set: mnist or fashion (not with --resume).")
  var dataset: DatasetName?

  @Option(
    help:
      "Continue an interrupted run (its folder) exactly where it stopped; --epochs/--minutes may extend its budget."
  )
  var resume: String?

  @Option(help: "mlp, dcgan or tfdcgan (the TensorFlow tutorial's networks).")
  var model: GANModelKind?

  @Flag(inversion: .prefixedNo, help: "Condition on the class label (draw a chosen digit).")
  var conditional: Bool?

  @Flag(help: "The same as --no-conditional.")
  var unconditional = false

  @Flag(
    inversion: .prefixedNo,
    help: "Finish with the generator of the scored epoch with the lowest Fréchet distance.")
  var keepBest: Bool?

  @Option(help: "Passes over the training images (then no time limit unless --minutes).")
  var epochs: Int?

  @Option(
    help:
      "Training time budget in minutes, checked after each epoch (then no epoch limit unless --epochs)."
  )
  var minutes: Double?

  @Option(help: "Settings from a YAML file (a run's config.yaml); flags override it.")
  var config: String?

  @OptionGroup var data: DataOptions
  @OptionGroup var runOptions: RunOptions
  @OptionGroup var compute: ComputeOptions

  func validate() throws {
    if resume != nil {
      let fixed: [(String, Bool)] = [
        ("a data set", dataset != nil), ("--model", model != nil),
        ("--conditional", conditional != nil || unconditional), ("--config", config != nil),
        ("--keep-best", keepBest != nil),
        ("--seed", runOptions.seed != nil),
      ]
      if let (name, _) = fixed.first(where: \.1) {
        throw ValidationError(
          "--resume continues a run with its own settings; drop \(name) (only --epochs and --minutes may change)"
        )
      }
    } else if dataset == nil {
      throw ValidationError("name a data set (mnist or fashion), or --resume RUN_DIR")
    }
  }

  /// The config file's settings (or the defaults), then the flags as overrides.
  func job() throws -> GANRun {
    guard let dataset else { throw ValidationError("name a data set (mnist or fashion)") }
    var base = GANRun(config: GANConfig())
    if let config { base = try GANRun(configAt: URL(fileURLWithPath: config)) }
    var overrides = Overrides()
    overrides["dataset"] = dataset.rawValue
    overrides["model"] = model?.rawValue
    overrides["conditional"] = unconditional ? false : conditional
    overrides["keep_best"] = keepBest
    if epochs != nil || minutes != nil {
      overrides["epochs"] = epochs ?? 0
      overrides["minutes"] = minutes ?? 0
    }
    overrides["seed"] = runOptions.seed
    compute.add(to: &overrides)
    return try overrides.applied(to: base)
  }

  func run() throws {
    if let resume {
      let folder = URL(fileURLWithPath: resume)
      try GANRun.resume(
        folder, in: runOptions.resuming(folder, data: data), epochs: epochs, minutes: minutes)
      return
    }
    let job = try job()
    _ = try job.run(in: runOptions.context(for: job, dataDirectory: data.dataDir))
  }
}

/// `playground gan sample --checkpoint FILE`.
struct GANSampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Write new images from a saved generator.",
    discussion: """
      Examples:
        playground gan sample --checkpoint outputs/gan-mnist/latest/generator.safetensors
        playground gan sample --checkpoint generator.safetensors --digit 7 --count 20 --output sevens.png
        playground gan sample --checkpoint generator.safetensors --count 1000 --plain --output grid.png && playground gan score grid.png
      """)

  @Option(help: "A generator.safetensors written by playground gan.")
  var checkpoint: String

  @Option(help: "How many images.")
  var count = 100

  @Option(help: "The digit to draw (conditional generators).")
  var digit: Int?

  @Option(help: "The PNG to write.")
  var output = "gan-samples.png"

  @Flag(
    help:
      "Write the images at their size without gutters (10 per row), as `playground gan score` reads them."
  )
  var plain = false

  @Option(help: "The seed of the noise.")
  var seed: UInt64 = 0

  func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be positive, got \(count)") }
    // One sheet of at most 100×100 images (a million took 25 GB before it drew one).
    guard count <= 10_000 else {
      throw ValidationError("--count must be at most 10000 (one sheet of 100×100), got \(count)")
    }
    if let digit, digit < 0 { throw ValidationError("--digit must be 0 or more, got \(digit)") }
  }

  func run() throws {
    let target = try OutputFile.resolve(output, option: "--output", inputs: [checkpoint])
    let sheet = try GANSampler.sample(
      checkpoint: URL(fileURLWithPath: checkpoint), count: count, digit: digit, seed: seed,
      plain: plain)
    try PNG.write(sheet, to: target)
    print("wrote \(count) images to \(output)")
  }
}

/// `playground gan score PNG...`: another GAN's samples under the playground's judge.
struct GANScoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score",
    abstract: "Score sample grids (any GAN's) with the judge of playground gan.",
    discussion: """
      Cuts each PNG into side×side tiles (no gutters, e.g. the anchors' 280×280 grids of 28×28 digits) and prints the Inception Score, Fréchet distance, confident share and class shares under the playground's CNN judge, against real test images — the same figures a playground gan run reports, so two frameworks compare on equal terms.

      Examples:
        playground gan score samples/grid0.png samples/grid1.png
      """)

  @Argument(help: "PNG grids of generated images.")
  var pictures: [String]

  @Option(help: "The data set the images imitate: mnist or fashion.")
  var dataset: DatasetName = .mnist

  @Option(help: "The side of one tile, in pixels.")
  var side = 28

  @Flag(
    help:
      "The rows of tiles draw the classes in turn (row r: class r mod 10), as the sheets of `playground flow sample` and `gan sample` do: also print the share drawn as their label."
  )
  var rowsAreClasses = false

  @OptionGroup var data: DataOptions

  func validate() throws {
    if pictures.isEmpty { throw ValidationError("name at least one PNG grid to score") }
    if side < 4 { throw ValidationError("--side must be at least 4, got \(side)") }
  }

  func run() throws {
    let (images, rows) = try SampleScoring.tilesAndRows(
      of: pictures.map { URL(fileURLWithPath: $0) }, side: side)
    let classes = dataset.classNames.count
    let (quality, real) = try SampleScoring.score(
      images, labels: rowsAreClasses ? rows.map { $0 % classes } : nil, dataset: dataset,
      sources: DataSources.fromEnvironment(dataDirectory: data.dataDir))
    let labelShare = quality.labelAccuracy.map {
      String(format: ", %.1f%% drawn as their label", $0 * 100)
    }
    print(
      String(
        format:
          "%d images: Inception Score %.2f (real test images: %.2f), Fréchet distance %.2f, %.0f%% confident, class shares %.1f–%.1f%%",
        images.shape[0], quality.inceptionScore, real, quality.frechetDistance,
        quality.confidentShare * 100, (quality.classShares.min() ?? 0) * 100,
        (quality.classShares.max() ?? 0) * 100) + (labelShare ?? ""))
  }
}

import ArgumentParser
import Foundation
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns

extension FlowSamplerKind: ExpressibleByArgument {}

/// `playground flow …`: flow matching, a U-Net that turns noise into digits.
struct FlowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flow",
    abstract: "Train a flow-matching U-Net that draws digits, and sample from saved ones.",
    discussion: """
      Examples:
        playground flow mnist
        playground flow mnist --minutes 30
        playground flow sample --checkpoint outputs/flow-mnist/latest/ema.safetensors --digit 7 --sampler heun
      """,
    subcommands: [FlowTrainCommand.self, FlowSampleCommand.self],
    defaultSubcommand: FlowTrainCommand.self)
}

/// `playground flow [train] mnist|fashion`.
struct FlowTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract:
      "Train a flow-matching U-Net; a 10×10 sample sheet from fixed noise is written every epoch.",
    discussion: """
      Default: 5 minutes of training of a class-conditional U-Net (32/64/64 channels at 28/14/7 pixels, residual blocks with GroupNorm and SiLU, the time and the digit's embedding added in every block, 505,025 parameters) by rectified flow matching: x_t = (1 − t)·noise + t·image with logit-normal times t = σ(n), n ~ N(0, 1), the network predicts image − noise, mean squared error, Adam 1e-3, batch 64, labels dropped 10% of the time, an EMA of the weights (0.999) for sampling. Samples: 20 Euler steps with classifier-free guidance w = 2.1 from t = 0.3 on (the conditional velocity before: guidance interval [0.3, 1]). The run folder gets samples/epoch-NNN.png (row = digit), samples/final.png, trajectory.png, progress.png, losses.png, metrics.csv (loss; the judge's scores every quality_every epochs and at the end), network.safetensors, ema.safetensors, config.yaml and summary.json.

      Examples:
        playground flow mnist
        playground flow mnist --minutes 30 --sampler heun
        playground flow mnist --epochs 2 --guidance 3
        playground flow --resume outputs/flow-mnist/20261207-061500-seed0

      'playground flow mnist' is the same as 'playground run scenarios/flow-mnist.yaml'.

      Ctrl-C stops after the current step and saves the run (network, its average, Adam's moments, random streams) so that --resume continues it with the same results as an uninterrupted run of the same seed (with an --epochs budget; a --minutes budget depends on the clock). A second Ctrl-C quits without saving.
      """)

  @Argument(help: "The data set: mnist or fashion (not with --resume).")
  var dataset: DatasetName?

  @Option(
    help:
      "Continue an interrupted run (its folder) exactly where it stopped; --epochs/--minutes may extend its budget."
  )
  var resume: String?

  @Option(help: "Passes over the training images (then no time limit unless --minutes).")
  var epochs: Int?

  @Option(
    help:
      "Training time budget in minutes, checked after each epoch (then no epoch limit unless --epochs)."
  )
  var minutes: Double?

  @Option(help: "The sampler of the sheets and scores: euler or heun.")
  var sampler: FlowSamplerKind?

  @Option(help: "Sampling steps from noise to image.")
  var steps: Int?

  @Option(help: "Classifier-free guidance weight w (0 unconditional, 1 conditional).")
  var guidance: Double?

  @Option(help: "Settings from a YAML file (a run's config.yaml); flags override it.")
  var config: String?

  @OptionGroup var data: DataOptions
  @OptionGroup var runOptions: RunOptions
  @OptionGroup var compute: ComputeOptions

  func validate() throws {
    if resume != nil {
      let fixed: [(String, Bool)] = [
        ("a data set", dataset != nil), ("--config", config != nil),
        ("--sampler", sampler != nil), ("--steps", steps != nil), ("--guidance", guidance != nil),
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
  func job() throws -> FlowRun {
    guard let dataset else { throw ValidationError("name a data set (mnist or fashion)") }
    var base = FlowRun(config: FlowConfig())
    if let config { base = try FlowRun(configAt: URL(fileURLWithPath: config)) }
    var overrides = Overrides()
    overrides["dataset"] = dataset.rawValue
    overrides["sampler"] = sampler?.rawValue
    overrides["sample_steps"] = steps
    overrides["guidance"] = guidance
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
      try FlowRun.resume(
        folder, in: runOptions.resuming(folder, data: data), epochs: epochs, minutes: minutes)
      return
    }
    let job = try job()
    _ = try job.run(in: runOptions.context(for: job, dataDirectory: data.dataDir))
  }
}

/// `playground flow sample --checkpoint FILE`.
struct FlowSampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Write new images from a saved flow model.",
    discussion: """
      Steps, sampler and guidance default to the run's own settings.

      Examples:
        playground flow sample --checkpoint outputs/flow-mnist/latest/ema.safetensors
        playground flow sample --checkpoint ema.safetensors --digit 7 --count 20 --sampler heun --steps 10 --guidance 3 --output sevens.png
        playground flow sample --checkpoint ema.safetensors --count 1000 --plain --output grid.png && playground gan score grid.png
      """)

  @Option(help: "An ema.safetensors (or network.safetensors) written by playground flow.")
  var checkpoint: String

  @Option(help: "How many images.")
  var count = 100

  @Option(help: "The digit to draw (default: one class per row).")
  var digit: Int?

  @Option(help: "Sampling steps from noise to image.")
  var steps: Int?

  @Option(help: "euler or heun.")
  var sampler: FlowSamplerKind?

  @Option(help: "Classifier-free guidance weight w (0 unconditional, 1 conditional).")
  var guidance: Double?

  @Option(
    help:
      "The times FROM,TO (0 noise, 1 image) at which guidance applies; elsewhere the conditional velocity (default: the run's, 0.3,1 unless set)."
  )
  var guidanceInterval: String?

  @Option(help: "The PNG to write.")
  var output = "flow-samples.png"

  @Flag(
    help:
      "Write the images at their size without gutters (10 per row), as `playground gan score` reads them."
  )
  var plain = false

  @Option(help: "The seed of the noise.")
  var seed: UInt64 = 0

  func validate() throws {
    guard (1...10_000).contains(count) else {
      throw ValidationError("--count must be from 1 to 10000 (one sheet of 100×100), got \(count)")
    }
    if let digit, digit < 0 { throw ValidationError("--digit must be 0 or more, got \(digit)") }
    if let steps, !(1...1000).contains(steps) {
      throw ValidationError("--steps must be from 1 to 1000, got \(steps)")
    }
    if let guidance, !(guidance.isFinite && (-10...50).contains(guidance)) {
      throw ValidationError("--guidance must be from -10 to 50, got \(guidance)")
    }
    _ = try guidanceTimes()
  }

  /// `--guidance-interval FROM,TO` as a range of times, checked.
  func guidanceTimes() throws -> ClosedRange<Float>? {
    guard let guidanceInterval else { return nil }
    let ends = guidanceInterval.split(separator: ",", omittingEmptySubsequences: false)
      .map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan }
    guard let times = FlowConfig.guidanceTimes(ends) else {
      throw ValidationError(
        "--guidance-interval must be FROM,TO with 0 ≤ FROM ≤ TO ≤ 1 (e.g. 0.3,1), got \(guidanceInterval)"
      )
    }
    return times
  }

  func run() throws {
    let target = try OutputFile.resolve(output, option: "--output", inputs: [checkpoint])
    let sheet = try FlowSampling.sample(
      checkpoint: URL(fileURLWithPath: checkpoint), count: count, digit: digit, steps: steps,
      method: sampler, guidance: guidance, guidanceInterval: guidanceTimes(), seed: seed,
      plain: plain)
    try PNG.write(sheet, to: target)
    print("wrote \(count) images to \(output)")
  }
}

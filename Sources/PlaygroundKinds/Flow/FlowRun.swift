import Foundation
import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundFiles
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

extension RunFamily {
  /// Generative models trained by flow matching (`kind: flow`).
  public static let flow = RunFamily("flow")
}

/// One `playground flow` run: a class-conditional U-Net learns a data set's images by flow
/// matching; it writes `samples/epoch-NNN.png` (10×10 from the same noise every epoch, row =
/// class), `samples/final.png`, `trajectory.png`, `progress.png`, `losses.png`, `metrics.csv`,
/// `network.safetensors` and `ema.safetensors` (the trained and the averaged weights),
/// `config.yaml` and `summary.json`.
public struct FlowRun: NamedRunKind, ComputeRunJob, ResumableRunJob {
  public var config: FlowConfig
  /// For tests: act as if Ctrl-C were pressed before this many training steps of this process.
  public var interruptAfterSteps: Int?
  /// How often the training state is saved while training, in seconds (30; tests use 0).
  public var saveEverySeconds: TimeInterval = 30

  public init(config: FlowConfig) {
    self.config = config
  }

  public init(configAt url: URL) throws {
    config = try FlowConfig.read(url, defaults: FlowConfig())
  }

  public static let kind = "flow"
  public static let family = RunFamily.flow
  public static let label = "flow"
  public static var subjectNames: [String] { DatasetName.allCases.map(\.rawValue) }
  public static let presets = [
    RunPreset("flow", "a class-conditional U-Net trained by flow matching (agents/flow.yaml)")
  ]
  public static let budgetKeys = ["epochs": "epochs", "minutes": "minutes"]
  /// Its convolutions keep two threads busy (277 images/s with two, 170 with one).
  public static let cpus = 2

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(
      subject: "mnist", agent: "flow",
      overrides: [
        "epochs": "1", "minutes": "0", "quality_every": "0", "batch_size": "64",
        "widths": "[8, 8, 8]", "embedding_size": "8", "sample_steps": "2",
      ])
  }

  public static let presentation = RunPresentation(
    curves: [
      .init(file: "metrics.csv", x: "epoch", y: "loss"),
      .init(file: "metrics.csv", x: "epoch", y: "frechet_distance"),
    ],
    headline: [
      "label_accuracy", "frechet_distance", "inception_score", "confident_share", "epochs",
      "steps", "train_seconds",
    ], picture: "samples/final.png")

  /// The quality of the final samples, pruned on the epochs whose samples are scored.
  public static let objectives = [
    RunObjective(
      "frechet_distance", higherIsBetter: false, progress: ("frechet_distance", false),
      unit: "epoch"),
    RunObjective(
      "label_accuracy", higherIsBetter: true, progress: ("label_accuracy", true), unit: "epoch",
      optimum: 1),
    RunObjective("inception_score", higherIsBetter: true, unit: "epoch"),
  ]

  public var defaultName: String { "flow-\(config.dataset.rawValue)" }
  public var settings: FlowConfig {
    get { config }
    set { config = newValue }
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> FlowRun?
  {
    let dataset = try DatasetName.named(subject)
    var config = FlowConfig()
    if let path = agent, path != "flow" {
      config = try readAgent(path, resolve: resolve, defaults: config)
    }
    config.dataset = dataset
    return FlowRun(config: config)
  }

  /// Trains a new run.
  /// - Throws: ``RunInterrupted`` after Ctrl-C, once the run is saved for `--resume`.
  public func runResolved(in context: RunContext) throws -> URL {
    try config.validate()
    try MemoryBudget.check(
      config.estimatedBytes(), for: "this flow U-Net with batches of \(config.batchSize)",
      lower: "batch_size or widths")
    let session = try FlowSession(
      config: config, sources: context.sources, quiet: context.quiet, say: context.say)
    let folder = try context.newFolder(for: self)
    let outcome = try folder.perform(config: config.yaml()) { folder in
      let state = FlowTrainingState(shuffler: session.shuffler.snapshot)
      return try train(session, in: folder, from: state, metrics: Self.newMetrics(), context)
    }
    outcome.report(to: context.say, folder: folder.finalURL)
    return folder.finalURL
  }

  /// Continues the run in `directory`, stopped by Ctrl-C, exactly where it stopped.
  public static func resume(_ directory: URL, in context: RunContext) throws -> URL {
    try resume(directory, in: context, epochs: nil, minutes: nil)
  }

  /// Continues the run in `directory`; `epochs` and `minutes` replace its budget when given.
  @discardableResult
  public static func resume(
    _ directory: URL, in context: RunContext, epochs: Int?, minutes: Double?,
    interruptAfterSteps: Int? = nil
  ) throws -> URL {
    var job = FlowRun(
      config: try EpochRunResume.config(of: directory, defaults: FlowConfig()))
    if epochs != nil || minutes != nil {
      job.config.epochs = epochs ?? 0
      job.config.minutes = minutes ?? 0
    }
    try job.config.validate()
    job.interruptAfterSteps = interruptAfterSteps
    job.config = job.config.resolvingCompute
    return try Compute.with(job.config.compute) { try job.continueRun(in: directory, context) }
  }

  private func continueRun(in directory: URL, _ context: RunContext) throws -> URL {
    let stateURL = directory.appendingPathComponent(FlowTrainingState.fileName)
    guard FileManager.default.fileExists(atPath: stateURL.path) else {
      throw RunError(
        "--resume \(directory.path): the run has no \(FlowTrainingState.fileName), so it finished (or is not a flow run); start a new run instead"
      )
    }
    let contents = try SafeTensors.read(from: stateURL)
    let session = try FlowSession(
      config: config, sources: context.sources, quiet: context.quiet, say: context.say)
    if let saved = contents.metadata["training_images"], saved != session.imagesFingerprint {
      throw RunError(
        "--resume \(directory.path): the run trained on other images (\(saved)) than these (\(session.imagesFingerprint)); resume it with the data it used (the same --data-dir or PLAYGROUND_DATA)"
      )
    }
    let state = try FlowTrainingState.restore(
      contents, into: session.trainer, source: stateURL.path)
    guard state.nextBatch < session.images.count / config.batchSize else {
      throw RunError(
        "\(stateURL.path): the saved batch \(state.nextBatch) is past the epoch's end; the file is damaged (or the data set changed)"
      )
    }
    let metrics = try completedEpochs(of: directory, state: state, session: session)
    context.progress(
      "Resuming \(directory.path) after \(state.completedEpochs) epochs and \(state.stepLosses.count) steps"
    )
    let folder = try RunFolder(
      reopening: directory, presentation: Self.presentation, kind: Self.kind,
      tensorBoard: context.tensorBoardLogging)
    let outcome = try folder.perform(config: config.yaml()) { folder in
      try train(session, in: folder, from: state, metrics: metrics, context)
    }
    outcome.report(to: context.say, folder: folder.finalURL)
    return folder.finalURL
  }

  /// Reads a training state's contents into `trainer` as `--resume` does (for the fuzzer).
  public static func restoreTrainingState(
    _ contents: SafeTensors.Contents, into trainer: FlowTrainer, source: String
  ) throws {
    _ = try FlowTrainingState.restore(contents, into: trainer, source: source)
  }

  /// The metrics and sample sheets of the epochs a resumed run has done.
  private func completedEpochs(
    of directory: URL, state: FlowTrainingState, session: FlowSession
  ) throws -> MetricsLog {
    let done = try EpochRunResume.completedEpochs(
      of: directory, epochs: state.completedEpochs, metrics: Self.newMetrics(),
      sheetName: Self.sheetName)
    session.sheets += done.sheets
    return done.metrics
  }

  static func newMetrics() -> MetricsLog {
    MetricsLog(columns: [
      "epoch", "loss", "inception_score", "frechet_distance", "confident_share",
      "label_accuracy", "smallest_class_share", "largest_class_share",
    ])
  }

  static func sheetName(_ epoch: Int) -> String { String(format: "samples/epoch-%03d.png", epoch) }

  /// What a finished run reports.
  struct Outcome {
    let quality: SampleQuality?
    let realScore: Double?
    let steps: Int
    let imagesPerSecond: Double

    func report(to say: (String) -> Void, folder: URL) {
      if let quality {
        say(
          String(
            format:
              "%.1f%% drawn as their label, Fréchet distance %.2f, Inception Score %.2f (real test images: %.2f), %.0f%% confident, class shares %.0f–%.0f%%",
            (quality.labelAccuracy ?? .nan) * 100, quality.frechetDistance,
            quality.inceptionScore, realScore ?? .nan, quality.confidentShare * 100,
            (quality.classShares.min() ?? 0) * 100, (quality.classShares.max() ?? 0) * 100))
      }
      say(
        String(
          format: "%d steps at %.0f images/s — run saved to %@", steps, imagesPerSecond,
          folder.path))
    }
  }

  private func train(
    _ session: FlowSession, in folder: RunFolder, from start: FlowTrainingState,
    metrics: MetricsLog, _ context: RunContext
  ) throws -> Outcome {
    let started = Date()
    var loop = FlowTrainingLoop(
      run: self, session: session, folder: folder, state: start, metrics: metrics,
      context: context)
    try Interruption.listen(notice: "stopping after this step to save a checkpoint") {
      try loop.run()
    }
    return try finish(
      session, in: folder, state: loop.state, lastQuality: loop.lastQuality, started: started)
  }

  /// Writes the final pictures, networks and summary.
  private func finish(
    _ session: FlowSession, in folder: RunFolder, state: FlowTrainingState,
    lastQuality measured: SampleQuality?, started: Date
  ) throws -> Outcome {
    // A resumed run whose budget was already spent still needs its final scores.
    let quality = measured ?? (config.qualityEvery > 0 ? session.quality() : nil)
    try writePictures(session, losses: state.stepLosses, in: folder)
    try saveNetworks(session, folder: folder)
    try? FileManager.default.removeItem(
      at: folder.url(for: FlowTrainingState.fileName).deletingLastPathComponent())
    let steps = state.stepLosses.count
    let imagesPerSecond = Double(steps * config.batchSize) / max(state.trainSeconds, 1e-9)
    var summary = Summary(for: folder, extraVersions: Compute.versions(of: Compute.settings))
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    summary["parameters"] = session.trainer.network.parameterCount
    summary["epochs"] = state.completedEpochs
    summary["train_images"] = session.images.count
    summary["steps"] = steps
    summary["final_loss"] = state.stepLosses.last ?? .nan
    summary["train_seconds"] = state.trainSeconds
    summary["images_per_second"] = imagesPerSecond
    summary["sampler"] = config.sampler.rawValue
    summary["sample_steps"] = config.sampleSteps
    summary["guidance"] = config.guidance
    if let quality {
      summary["inception_score"] = quality.inceptionScore
      summary["frechet_distance"] = quality.frechetDistance
      summary["confident_share"] = quality.confidentShare
      summary["class_shares"] = quality.classShares
      summary["label_accuracy"] = quality.labelAccuracy ?? NSNull()
      summary["label_accuracy_by_class"] = quality.labelAccuracyByClass ?? NSNull()
      summary["quality_samples"] = config.qualitySamples
      summary["real_images_inception_score"] = session.judge?.realScore ?? .nan
    }
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
    return Outcome(
      quality: quality, realScore: session.judge?.realScore, steps: steps,
      imagesPerSecond: imagesPerSecond)
  }

  private func writePictures(_ session: FlowSession, losses: [Double], in folder: RunFolder)
    throws
  {
    let final =
      session.sheets.last
      ?? FlowPictures.sheet(session.samples(noise: session.sheetNoise, labels: session.sheetLabels))
    try folder.write(picture: final, to: "samples/final.png")
    if !losses.isEmpty {
      try folder.write(picture: FlowPictures.lossChart(losses), to: "losses.png")
    }
    if !session.sheets.isEmpty {
      try folder.write(picture: SampleSheets.progress(session.sheets), to: "progress.png")
    }
    // The first image of each class's row of the sheets.
    let rows = (0..<session.classes).map { $0 * 10 }
    let perImage = session.sheetNoise.count / session.sheetNoise.shape[0]
    let noise = Tensor(
      shape: [rows.count] + session.sheetNoise.shape.dropFirst(),
      scalars: rows.flatMap { session.sheetNoise.scalars[($0 * perImage)..<(($0 + 1) * perImage)] })
    try folder.write(
      picture: FlowPictures.trajectory(
        sampler: session.sampler, noise: noise, classes: session.classes),
      to: "trajectory.png")
  }

  func saveState(_ state: FlowTrainingState, session: FlowSession, folder: RunFolder) throws {
    let url = folder.url(for: FlowTrainingState.fileName)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try SafeTensors.write(
      state.contents(trainer: session.trainer, images: session.imagesFingerprint), to: url)
  }

  /// `network.safetensors` (the trained weights) and `ema.safetensors` (their moving average,
  /// which `flow sample` reads).
  func saveNetworks(_ session: FlowSession, folder: RunFolder) throws {
    let metadata = [
      "config": try config.yaml(), "format": FlowSampling.format,
      "side": String(session.images.rows),
    ]
    try session.trainer.network.save(to: folder.url(for: "network.safetensors"), metadata: metadata)
    try session.trainer.averaged.save(to: folder.url(for: "ema.safetensors"), metadata: metadata)
  }
}

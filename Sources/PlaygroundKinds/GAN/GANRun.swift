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
import Yams

/// One `playground gan` run: train on a data set's training images, and write
/// `samples/epoch-NNN.png` (a 10×10 grid from the same noise every epoch; one digit per row when
/// conditional), `samples/final.png`, `losses.png`, `metrics.csv`, `generator.safetensors`,
/// `discriminator.safetensors`, `config.yaml` and `summary.json`.
public struct GANRun: NamedRunKind, ComputeRunJob, ResumableRunJob {
  public var config: GANConfig
  /// For tests: act as if Ctrl-C were pressed before this many training steps of this process.
  public var interruptAfterSteps: Int?
  /// How often the training state is saved while training, in seconds (30; tests use 0: at
  /// every epoch's end), so that a crash — or an interruption whose own save fails — loses
  /// at most that much.
  public var saveEverySeconds: TimeInterval = 30

  public init(config: GANConfig) {
    self.config = config
  }

  public init(configAt url: URL) throws {
    config = try GANConfig.read(url, defaults: GANConfig())
  }

  public static let kind = "gan"
  public static let family = RunFamily.gan
  public static let label = "gan"
  public static var subjectNames: [String] { DatasetName.allCases.map(\.rawValue) }
  public static let presets = [
    RunPreset("dcgan", "a conditional small DCGAN (agents/dcgan.yaml)"),
    RunPreset("gan", "a fully connected GAN (agents/gan.yaml)"),
    RunPreset("tf-dcgan", "the TensorFlow tutorial's DCGAN, batch 256 (agents/tf-dcgan.yaml)"),
  ]
  public static let budgetKeys = ["epochs": "epochs", "minutes": "minutes"]

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(
      subject: "mnist", agent: "dcgan",
      overrides: ["epochs": "1", "minutes": "0", "quality_every": "0", "batch_size": "32"])
  }
  /// Its convolutions keep two threads busy: a DCGAN epoch takes 8.96 s with two OpenBLAS
  /// threads, 11.72 s with one (the classifier gains 4–9%, DQN nothing: they ask for one).
  public static let cpus = 2
  public static let presentation = RunPresentation(
    curves: [
      .init(file: "metrics.csv", x: "epoch", y: "inception_score"),
      .init(file: "metrics.csv", x: "epoch", y: "d_loss"),
    ],
    headline: [
      "inception_score", "frechet_distance", "confident_share", "label_accuracy", "epochs",
      "steps", "train_seconds",
    ], picture: "samples/final.png")

  /// The quality of the final samples, pruned on the epochs whose samples are scored
  /// (`quality_every`).
  public static let objectives = [
    RunObjective(
      "inception_score", higherIsBetter: true, progress: ("inception_score", true), unit: "epoch"),
    RunObjective(
      "frechet_distance", higherIsBetter: false, progress: ("frechet_distance", false),
      unit: "epoch"),
    RunObjective(
      "confident_share", higherIsBetter: true, progress: ("confident_share", true), unit: "epoch",
      optimum: 1),
    RunObjective("label_accuracy", higherIsBetter: true, unit: "epoch", optimum: 1),
  ]

  public var defaultName: String { "gan-\(config.dataset.rawValue)" }
  public var settings: GANConfig {
    get { config }
    set { config = newValue }
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> GANRun?
  {
    let dataset = try DatasetName.named(subject)
    var config = GANConfig()
    switch agent {
    case nil, "dcgan": break
    case "gan", "mlp": config = .fullyConnected
    case "tf-dcgan": config = .tensorFlowTutorial
    case let path?: config = try readAgent(path, resolve: resolve, defaults: config)
    }
    config.dataset = dataset
    return GANRun(config: config)
  }

  /// Trains a new run.
  /// - Throws: ``RunInterrupted`` after Ctrl-C, once the run is saved for `--resume`.
  public func runResolved(in context: RunContext) throws -> URL {
    try config.validate()
    try MemoryBudget.check(
      config.estimatedBytes(),
      for: "this \(config.model.rawValue) GAN with batches of \(config.batchSize)",
      lower: "batch_size or latent_size")
    let session = try GANSession(
      config: config, sources: context.sources, quiet: context.quiet, say: context.say)
    let folder = try context.newFolder(for: self)
    let outcome = try folder.perform(config: config.yaml()) { folder in
      let state = GANTrainingState(shuffler: session.shuffler.snapshot)
      return try train(session, in: folder, from: state, metrics: Self.newMetrics(), context)
    }
    outcome.report(to: context.say, folder: folder.finalURL)
    return folder.finalURL
  }

  /// Continues the run in `directory`, stopped by Ctrl-C (or a crash after an epoch), exactly
  /// where it stopped, with its own settings.
  public static func resume(_ directory: URL, in context: RunContext) throws -> URL {
    try resume(directory, in: context, epochs: nil, minutes: nil)
  }

  /// Continues the run in `directory`; `epochs` and `minutes` replace its budget when given.
  /// - Throws: ``RunError`` when `directory` is not a GAN run or has nothing left to resume.
  @discardableResult
  public static func resume(
    _ directory: URL, in context: RunContext, epochs: Int?, minutes: Double?,
    interruptAfterSteps: Int? = nil
  ) throws -> URL {
    var job = GANRun(
      config: try EpochRunResume.config(of: directory, defaults: GANConfig()))
    if epochs != nil || minutes != nil {
      job.config.epochs = epochs ?? 0
      job.config.minutes = minutes ?? 0
    }
    try job.config.validate()
    job.interruptAfterSteps = interruptAfterSteps
    job.config = job.config.resolvingCompute
    return try Compute.with(job.config.compute) { try job.continueRun(in: directory, context) }
  }

  /// Resumes the run in `directory` from its training state, with these settings.
  private func continueRun(in directory: URL, _ context: RunContext) throws -> URL {
    let job = self
    let presentation = Self.presentation
    let stateURL = directory.appendingPathComponent(GANTrainingState.fileName)
    guard FileManager.default.fileExists(atPath: stateURL.path) else {
      throw RunError(
        "--resume \(directory.path): the run has no \(GANTrainingState.fileName), so it finished (or is not a GAN run); start a new run instead"
      )
    }
    let contents = try SafeTensors.read(from: stateURL)
    let session = try GANSession(
      config: job.config, sources: context.sources, quiet: context.quiet, say: context.say)
    if let saved = contents.metadata["training_images"], saved != session.imagesFingerprint {
      throw RunError(
        "--resume \(directory.path): the run trained on other images (\(saved)) than these (\(session.imagesFingerprint)); resume it with the data it used (the same --data-dir or PLAYGROUND_DATA)"
      )
    }
    let state = try GANTrainingState.restore(
      contents, into: session.trainer, source: stateURL.path)
    let batches = session.images.count / job.config.batchSize
    guard state.nextBatch < batches else {
      throw RunError(
        "\(stateURL.path): the saved batch \(state.nextBatch) is past the epoch's \(batches); the file is damaged (or the data set changed)"
      )
    }
    let metrics = try job.completedEpochs(of: directory, state: state, session: session)
    context.progress(
      "Resuming \(directory.path) after \(state.completedEpochs) epochs and \(state.stepLosses.count) steps"
    )
    let folder = try RunFolder(
      reopening: directory, presentation: presentation, kind: Self.kind,
      tensorBoard: context.tensorBoardLogging)
    let outcome = try folder.perform(config: job.config.yaml()) { folder in
      try job.train(session, in: folder, from: state, metrics: metrics, context)
    }
    outcome.report(to: context.say, folder: folder.finalURL)
    return folder.finalURL
  }

  /// Reads a training state's contents into `trainer` as `--resume` does, checking every value
  /// (the fuzzer feeds it arbitrary files).
  /// - Throws: ``RunError``, ``CheckpointMismatch`` or ``SafeTensorsError`` naming the problem.
  public static func restoreTrainingState(
    _ contents: SafeTensors.Contents, into trainer: GANTrainer, source: String
  ) throws {
    _ = try GANTrainingState.restore(contents, into: trainer, source: source)
  }

  /// The metrics and sample sheets of the epochs a resumed run has done.
  private func completedEpochs(of directory: URL, state: GANTrainingState, session: GANSession)
    throws -> MetricsLog
  {
    let done = try EpochRunResume.completedEpochs(
      of: directory, epochs: state.completedEpochs, metrics: Self.newMetrics(),
      sheetName: Self.sheetName)
    session.sheets += done.sheets
    return done.metrics
  }

  static func newMetrics() -> MetricsLog {
    MetricsLog(columns: [
      "epoch", "d_loss", "g_loss", "inception_score", "frechet_distance", "confident_share",
      "smallest_class_share", "largest_class_share",
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
              "Inception Score %.2f (real test images: %.2f), Fréchet distance %.2f, %.0f%% confident, class shares %.0f–%.0f%%",
            quality.inceptionScore, realScore ?? .nan, quality.frechetDistance,
            quality.confidentShare * 100, (quality.classShares.min() ?? 0) * 100,
            (quality.classShares.max() ?? 0) * 100)
            + (quality.labelAccuracy.map {
              String(format: ", %.0f%% drawn as their label", $0 * 100)
            } ?? ""))
      }
      say(
        String(
          format: "%d steps at %.0f images/s — run saved to %@", steps, imagesPerSecond,
          folder.path))
    }
  }

  /// The training loop from `start` on (a sheet, metrics and a training state every epoch),
  /// then the final outputs.
  private func train(
    _ session: GANSession, in folder: RunFolder, from start: GANTrainingState,
    metrics startMetrics: MetricsLog, _ context: RunContext
  ) throws -> Outcome {
    let started = Date()
    var loop = GANTrainingLoop(
      run: self, session: session, folder: folder, state: start, metrics: startMetrics,
      context: context)
    try Interruption.listen(notice: "stopping after this step to save a checkpoint") {
      try loop.run()
    }
    return try finish(
      session, in: folder, state: loop.state, lastQuality: loop.lastQuality, started: started)
  }

  /// Writes the final sheet, pictures, networks and summary.
  private func finish(
    _ session: GANSession, in folder: RunFolder, state: GANTrainingState,
    lastQuality measured: SampleQuality?, started: Date
  ) throws -> Outcome {
    let trainer = session.trainer
    // A resumed run whose budget was already spent still needs its final scores.
    var lastQuality = measured
    if lastQuality == nil && config.qualityEvery > 0 { lastQuality = session.quality() }
    // keep_best: the final outputs come from the best scored epoch's generator (its scores
    // measured again, identically, from the same fixed noise).
    let finalQuality = lastQuality
    if config.keepBest, let best = state.best {
      for (tensor, scalars) in zip(trainer.generator.namedState.map(\.tensor), best.generator) {
        tensor.scalars = scalars
      }
      lastQuality = session.quality()
    }
    try writePictures(session, losses: state.stepLosses, in: folder)
    try saveNetworks(trainer, folder: folder)
    try? FileManager.default.removeItem(
      at: folder.url(for: GANTrainingState.fileName).deletingLastPathComponent())
    let steps = state.stepLosses.count
    let imagesPerSecond = Double(steps * config.batchSize) / max(state.trainSeconds, 1e-9)
    var summary = self.summary(
      state, session: session, quality: lastQuality, finalEpochQuality: finalQuality,
      folder: folder)
    summary["images_per_second"] = imagesPerSecond
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
    return Outcome(
      quality: lastQuality, realScore: session.realScore, steps: steps,
      imagesPerSecond: imagesPerSecond)
  }

  private func writePictures(
    _ session: GANSession, losses: [(d: Double, g: Double)], in folder: RunFolder
  ) throws {
    let generator = session.trainer.generator
    try folder.write(
      picture: GANPictures.sheet(
        generator, noise: session.fixedNoise, labels: session.fixedLabels),
      to: "samples/final.png")
    try folder.write(picture: GANPictures.lossChart(losses), to: "losses.png")
    if !session.sheets.isEmpty {
      try folder.write(picture: SampleSheets.progress(session.sheets), to: "progress.png")
    }
    try folder.write(
      picture:
        GANPictures.interpolations(
          generator, random: session.random.derived(stream: 6), conditional: config.conditional,
          classes: config.dataset.classNames.count), to: "interpolation.png")
  }

  private func summary(
    _ state: GANTrainingState, session: GANSession, quality: SampleQuality?,
    finalEpochQuality: SampleQuality?, folder: RunFolder
  ) -> Summary {
    var summary = Summary(for: folder, extraVersions: Compute.versions(of: Compute.settings))
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    summary["model"] = config.model.rawValue
    summary["conditional"] = config.conditional
    summary["epochs"] = state.completedEpochs
    summary["train_images"] = session.images.count
    summary["steps"] = state.stepLosses.count
    if config.keepBest, let best = state.best, let finalEpochQuality {
      summary["best_epoch"] = best.epoch
      summary["final_epoch_inception_score"] = finalEpochQuality.inceptionScore
      summary["final_epoch_frechet_distance"] = finalEpochQuality.frechetDistance
    }
    summary["final_d_loss"] = state.stepLosses.last?.d ?? .nan
    summary["final_g_loss"] = state.stepLosses.last?.g ?? .nan
    summary["train_seconds"] = state.trainSeconds
    if let quality {
      summary["inception_score"] = quality.inceptionScore
      summary["frechet_distance"] = quality.frechetDistance
      summary["confident_share"] = quality.confidentShare
      summary["class_shares"] = quality.classShares
      summary["label_accuracy"] = quality.labelAccuracy ?? NSNull()
      summary["label_accuracy_by_class"] = quality.labelAccuracyByClass ?? NSNull()
      summary["quality_samples"] = config.qualitySamples
      summary["real_images_inception_score"] = session.realScore ?? .nan
    }
    return summary
  }

  func saveState(_ state: GANTrainingState, session: GANSession, folder: RunFolder) throws {
    let url = folder.url(for: GANTrainingState.fileName)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try SafeTensors.write(
      state.contents(trainer: session.trainer, images: session.imagesFingerprint), to: url)
  }

  func saveNetworks(_ trainer: GANTrainer, folder: RunFolder) throws {
    let metadata = [
      "config": try config.yaml(), "format": "playground gan",
      "side": String(trainer.generator.side),
    ]
    try trainer.generator.save(to: folder.url(for: "generator.safetensors"), metadata: metadata)
    try trainer.discriminator.save(
      to: folder.url(for: "discriminator.safetensors"), metadata: metadata)
  }
}

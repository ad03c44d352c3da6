import Foundation
import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

/// One `playground gan` run: train on a data set's training images, and write
/// `samples/epoch-NNN.png` (a 10×10 grid from the same noise every epoch; one digit per row when
/// conditional), `samples/final.png`, `losses.png`, `metrics.csv`, `generator.safetensors`,
/// `discriminator.safetensors`, `config.yaml` and `summary.json`.
public struct GANRun {
  public var config: GANConfig
  public var sources: DataSources
  public var outputDirectory: URL
  public var quiet = false

  public init(config: GANConfig, sources: DataSources, outputDirectory: URL) {
    self.config = config
    self.sources = sources
    self.outputDirectory = outputDirectory
    scenario = "gan-\(config.dataset.rawValue)"
  }

  /// The folder under the output directory: `gan-<dataset>` unless a scenario names another.
  public var scenario: String

  /// For tests: act as if Ctrl-C were pressed before this many training steps of this process.
  public var interruptAfterSteps: Int?

  /// Trains a new run.
  /// - Throws: ``RunInterrupted`` after Ctrl-C, once the run is saved for `--resume`.
  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> RunFolder {
    try config.validate()
    let session = try GANSession(config: config, sources: sources, quiet: quiet, say: say)
    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: config.seed)
    do {
      try folder.write(config.yaml(), to: "config.yaml")
      let state = GANTrainingState(shuffler: session.shuffler.snapshot)
      return try train(session, in: folder, from: state, metrics: GANRun.newMetrics(), say: say)
    } catch {
      folder.discard()
      throw error
    }
  }

  /// Continues the run in `directory`, stopped by Ctrl-C (or a crash after an epoch), exactly
  /// where it stopped; `epochs` and `minutes` replace its budget when given.
  /// - Throws: ``RunError`` when `directory` is not a GAN run or has nothing left to resume.
  @discardableResult
  public static func resume(
    _ directory: URL, sources: DataSources, epochs: Int? = nil, minutes: Double? = nil,
    quiet: Bool = false, interruptAfterSteps: Int? = nil,
    print say: (String) -> Void = { Swift.print($0) }
  ) throws -> RunFolder {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue
    else { throw RunError("--resume \(directory.path): no such run folder") }
    let configURL = directory.appendingPathComponent("config.yaml")
    guard manager.fileExists(atPath: configURL.path) else {
      throw RunError("--resume \(directory.path) is not a run folder (it has no config.yaml)")
    }
    var config = try GANConfig.read(configURL, defaults: GANConfig())
    if epochs != nil || minutes != nil {
      config.epochs = epochs ?? 0
      config.minutes = minutes ?? 0
    }
    try config.validate()
    let stateURL = directory.appendingPathComponent(GANTrainingState.fileName)
    guard manager.fileExists(atPath: stateURL.path) else {
      throw RunError(
        "--resume \(directory.path): the run has no \(GANTrainingState.fileName), so it finished (or is not a GAN run); start a new run instead"
      )
    }
    let contents = try SafeTensors.read(from: stateURL)
    var job = GANRun(
      config: config, sources: sources,
      outputDirectory: directory.deletingLastPathComponent().deletingLastPathComponent())
    job.quiet = quiet
    job.interruptAfterSteps = interruptAfterSteps
    let session = try GANSession(config: config, sources: sources, quiet: quiet, say: say)
    let state = try GANTrainingState.restore(
      contents, into: session.trainer, source: stateURL.path)
    // The metrics and sample sheets of the epochs done.
    let metricsText =
      (try? String(contentsOf: directory.appendingPathComponent("metrics.csv"), encoding: .utf8))
      ?? ""
    var metrics = GANRun.newMetrics()
    let rows = metricsText.split(separator: "\n").dropFirst().prefix(state.completedEpochs)
    guard rows.count == state.completedEpochs else {
      throw RunError(
        "--resume \(directory.path): metrics.csv has \(rows.count) epochs, the training state \(state.completedEpochs)"
      )
    }
    for row in rows { metrics.append(text: row.split(separator: ",").map(String.init)) }
    for epoch in stride(from: 1, through: state.completedEpochs, by: 1) {
      session.sheets.append(
        try PNG.read(directory.appendingPathComponent(GANRun.sheetName(epoch))))
    }
    if !quiet {
      say(
        "Resuming \(directory.path) after \(state.completedEpochs) epochs and \(state.stepLosses.count) steps"
      )
    }
    let folder = try RunFolder(reopening: directory)
    do {
      try folder.write(config.yaml(), to: "config.yaml")
      return try job.train(session, in: folder, from: state, metrics: metrics, say: say)
    } catch {
      folder.discard()
      throw error
    }
  }

  static func newMetrics() -> MetricsLog {
    MetricsLog(columns: [
      "epoch", "d_loss", "g_loss", "inception_score", "frechet_distance", "confident_share",
      "smallest_class_share", "largest_class_share",
    ])
  }

  static func sheetName(_ epoch: Int) -> String { String(format: "samples/epoch-%03d.png", epoch) }

  /// The training loop, from `state` on: a sheet, metrics and a training state every epoch.
  private func train(
    _ session: GANSession, in folder: RunFolder, from start: GANTrainingState,
    metrics startMetrics: MetricsLog, say: (String) -> Void
  ) throws -> RunFolder {
    let started = Date()
    let trainer = session.trainer
    let images = session.images
    var state = start
    var metrics = startMetrics
    var lastQuality: SampleQuality?
    let batches = images.count / config.batchSize
    session.shuffler.snapshot = state.shuffler
    var stepsHere = 0
    var lastSave = Date()

    /// Saves everything `--resume` needs and marks the run interrupted.
    func saveInterrupted() throws -> Never {
      try saveState(state, trainer: trainer, folder: folder)
      try saveNetworks(trainer, folder: folder)
      var summary = Summary(for: folder, extraVersions: ["openblas_core": BLAS.shared.coreName])
      summary["status"] = "interrupted"
      summary["seed"] = config.seed
      summary["dataset"] = config.dataset.rawValue
      summary["model"] = config.model.rawValue
      summary["epochs"] = state.completedEpochs
      summary["steps"] = state.stepLosses.count
      summary["train_seconds"] = state.trainSeconds
      summary["resume"] = "playground gan --resume \(folder.finalURL.path)"
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()
      throw RunInterrupted(
        "interrupted after \(state.stepLosses.count) steps (epoch \(state.completedEpochs + 1), batch \(state.nextBatch)); continue with: playground gan --resume \(folder.finalURL.path)",
        folder: folder.finalURL)
    }

    try Interruption.listen(notice: "stopping after this step to save a checkpoint") {
      // Until the epoch limit, or the end of the epoch that passes the time budget.
      while (config.epochs == 0 || state.completedEpochs < config.epochs)
        && (config.minutes == 0 || state.trainSeconds < config.minutes * 60)
      {
        let epoch = state.completedEpochs + 1
        let limit =
          config.epochs > 0
          ? "/\(config.epochs)"
          : String(format: " (%.1f of %.3g minutes)", state.trainSeconds / 60, config.minutes)
        if !quiet { say("Epoch \(epoch)\(limit)") }
        let progress = ProgressLine(total: batches, quiet: quiet)
        state.shuffler = session.shuffler.snapshot
        let order = session.shuffler.permutation(images.count)
        let epochStart = Date()
        for b in state.nextBatch..<batches {
          if Interruption.isRequested || stepsHere == interruptAfterSteps {
            state.nextBatch = b
            state.trainSeconds += Date().timeIntervalSince(epochStart)
            try saveInterrupted()
          }
          let indices = Array(order[(b * config.batchSize)..<((b + 1) * config.batchSize)])
          let real = GANRun.batch(images, indices)
          let labels = config.conditional ? indices.map { Int(images.labels[$0]) } : nil
          let (d, g) = trainer.step(real: real, labels: labels)
          stepsHere += 1
          state.stepLosses.append((Double(d), Double(g)))
          state.sumD += Double(d)
          state.sumG += Double(g)
          progress.update(
            b + 1,
            metrics: [
              ("d_loss", state.sumD / Double(b + 1)), ("g_loss", state.sumG / Double(b + 1)),
            ])
        }
        state.trainSeconds += Date().timeIntervalSince(epochStart)
        let (meanD, meanG) = (state.sumD / Double(batches), state.sumG / Double(batches))
        state.completedEpochs = epoch
        state.nextBatch = 0
        (state.sumD, state.sumG) = (0, 0)
        state.shuffler = session.shuffler.snapshot
        let lastEpoch =
          (config.epochs > 0 && epoch == config.epochs)
          || (config.minutes > 0 && state.trainSeconds >= config.minutes * 60)
        let scored = config.qualityEvery > 0 && (epoch % config.qualityEvery == 0 || lastEpoch)
        let measured = scored ? session.quality() : nil
        if let measured { lastQuality = measured }
        if config.keepBest, let measured,
          state.best == nil || measured.frechetDistance < state.best!.frechetDistance
        {
          state.best = (
            epoch, measured.frechetDistance, trainer.generator.namedState.map(\.tensor.scalars)
          )
        }
        let scores: [(String, Double)] =
          measured.map {
            [
              ("IS", $0.inceptionScore), ("FID", $0.frechetDistance),
              ("confident", $0.confidentShare),
            ]
          }
          ?? []
        progress.finish(metrics: [("d_loss", meanD), ("g_loss", meanG)] + scores)
        metrics.append([
          Double(epoch), meanD, meanG, measured?.inceptionScore ?? .nan,
          measured?.frechetDistance ?? .nan, measured?.confidentShare ?? .nan,
          measured?.classShares.min() ?? .nan, measured?.classShares.max() ?? .nan,
        ])
        try folder.write(metrics.csv, to: "metrics.csv")
        let sheet = GANRun.sheet(
          trainer.generator, noise: session.fixedNoise, labels: session.fixedLabels)
        session.sheets.append(sheet)
        try folder.write(PNG.encode(sheet), to: GANRun.sheetName(epoch))
        // A crash loses at most about half a minute (Ctrl-C saves at once).
        if !lastEpoch && Date().timeIntervalSince(lastSave) >= 30 {
          try saveState(state, trainer: trainer, folder: folder)
          lastSave = Date()
        }
      }
    }
    // A resumed run whose budget was already spent still needs its final scores.
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
    let stepLosses = state.stepLosses
    let trainSeconds = state.trainSeconds
    try folder.write(
      PNG.encode(
        GANRun.sheet(trainer.generator, noise: session.fixedNoise, labels: session.fixedLabels)),
      to: "samples/final.png")
    try PNG.write(lossChart(stepLosses), to: folder.url(for: "losses.png"))
    if !session.sheets.isEmpty {
      try PNG.write(GANRun.progress(session.sheets), to: folder.url(for: "progress.png"))
    }
    try PNG.write(
      GANRun.interpolations(
        trainer.generator, random: session.random.derived(stream: 6),
        conditional: config.conditional),
      to: folder.url(for: "interpolation.png"))
    try saveNetworks(trainer, folder: folder)
    try? FileManager.default.removeItem(
      at: folder.url(for: GANTrainingState.fileName).deletingLastPathComponent())
    let imagesPerSecond = Double(stepLosses.count * config.batchSize) / max(trainSeconds, 1e-9)
    var summary = Summary(for: folder, extraVersions: ["openblas_core": BLAS.shared.coreName])
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    summary["model"] = config.model.rawValue
    summary["conditional"] = config.conditional
    summary["epochs"] = state.completedEpochs
    summary["train_images"] = images.count
    summary["steps"] = stepLosses.count
    summary["images_per_second"] = imagesPerSecond
    if config.keepBest, let best = state.best, let finalQuality {
      summary["best_epoch"] = best.epoch
      summary["final_epoch_inception_score"] = finalQuality.inceptionScore
      summary["final_epoch_frechet_distance"] = finalQuality.frechetDistance
    }
    summary["final_d_loss"] = stepLosses.last?.d ?? .nan
    summary["final_g_loss"] = stepLosses.last?.g ?? .nan
    summary["train_seconds"] = trainSeconds
    if let lastQuality {
      summary["inception_score"] = lastQuality.inceptionScore
      summary["frechet_distance"] = lastQuality.frechetDistance
      summary["confident_share"] = lastQuality.confidentShare
      summary["class_shares"] = lastQuality.classShares
      summary["label_accuracy"] = lastQuality.labelAccuracy ?? NSNull()
      summary["label_accuracy_by_class"] = lastQuality.labelAccuracyByClass ?? NSNull()
      summary["quality_samples"] = config.qualitySamples
      summary["real_images_inception_score"] = session.realScore ?? .nan
    }
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
    try folder.commit()
    if let lastQuality {
      say(
        String(
          format:
            "Inception Score %.2f (real test images: %.2f), Fréchet distance %.2f, %.0f%% confident, class shares %.0f–%.0f%%",
          lastQuality.inceptionScore, session.realScore ?? .nan, lastQuality.frechetDistance,
          lastQuality.confidentShare * 100,
          (lastQuality.classShares.min() ?? 0) * 100, (lastQuality.classShares.max() ?? 0) * 100)
          + (lastQuality.labelAccuracy.map {
            String(format: ", %.0f%% drawn as their label", $0 * 100)
          } ?? ""))
    }
    say(
      String(
        format: "%d steps at %.0f images/s — run saved to %@", stepLosses.count, imagesPerSecond,
        folder.finalURL.path))
    return folder
  }

  private func saveState(_ state: GANTrainingState, trainer: GANTrainer, folder: RunFolder) throws {
    let url = folder.url(for: GANTrainingState.fileName)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try SafeTensors.write(state.contents(trainer: trainer), to: url)
  }

  private func saveNetworks(_ trainer: GANTrainer, folder: RunFolder) throws {
    let metadata = [
      "config": try config.yaml(), "format": "playground gan",
      "side": String(trainer.generator.side),
    ]
    try trainer.generator.save(to: folder.url(for: "generator.safetensors"), metadata: metadata)
    try trainer.discriminator.save(
      to: folder.url(for: "discriminator.safetensors"), metadata: metadata)
  }

  /// Images at `indices` scaled to [−1, 1], `[n, 1, rows, columns]`.
  static func batch(_ images: LabeledImages, _ indices: [Int]) -> Tensor {
    var scalars = [Float]()
    scalars.reserveCapacity(indices.count * images.pixelsPerImage)
    for index in indices {
      for pixel in images.image(index) { scalars.append(Float(pixel) / 127.5 - 1) }
    }
    return Tensor(shape: [indices.count, 1, images.rows, images.columns], scalars: scalars)
  }

  /// A 10-column sheet of generated images, twice their size, in evaluation mode.
  public static func sheet(_ generator: GANGenerator, noise: Tensor, labels: [Int]?) -> Image {
    generator.setTraining(false)
    defer { generator.setTraining(true) }
    let images = withoutGradient { generator.generate(noise: noise, labels: labels) }
    let side = generator.side
    let tiles = (0..<noise.shape[0]).map { k in
      Image(
        width: side, height: side,
        intensities: images.scalars[(k * side * side)..<((k + 1) * side * side)].map {
          ($0 + 1) / 2
        }
      ).upscaled(by: 2)
    }
    return Image.grid(tiles, columns: 10, gutter: 2, background: [128])
  }

  /// Up to five epochs' sheets side by side, captioned with their epoch.
  static func progress(_ sheets: [Image]) -> Image {
    let count = sheets.count
    let picks = Array(
      Set((0..<min(5, count)).map { count == 1 ? 0 : $0 * (count - 1) / (min(5, count) - 1) })
    ).sorted()
    let (width, height) = (sheets[0].width, sheets[0].height)
    var image = Image(
      width: picks.count * (width + 8) + 8, height: height + 24, fill: [255, 255, 255])
    for (k, index) in picks.enumerated() {
      let x = 8 + k * (width + 8)
      image.drawText("EPOCH \(index + 1)", atX: x, y: 6, color: [0, 0, 0])
      image.draw(sheets[index], atX: x, y: 18)
    }
    return image
  }

  /// Eight rows, each a straight path in latent space between two random points (one class per
  /// row when conditional), ten images along it.
  static func interpolations(_ generator: GANGenerator, random: RandomGenerator, conditional: Bool)
    -> Image
  {
    let latent = generator.latentSize
    var noise: [Float] = []
    for _ in 0..<8 {
      let a = (0..<latent).map { _ in random.normal() }
      let b = (0..<latent).map { _ in random.normal() }
      for step in 0..<10 {
        let t = Float(step) / 9
        noise += zip(a, b).map { (1 - t) * $0 + t * $1 }
      }
    }
    let labels = conditional ? (0..<80).map { $0 / 10 } : nil
    return sheet(generator, noise: Tensor(shape: [80, latent], scalars: noise), labels: labels)
  }

  func lossChart(_ losses: [(d: Double, g: Double)]) -> Image {
    let stride = max(1, losses.count / 600)
    let window = max(1, losses.count / 100)
    func smooth(_ values: [Double]) -> [(x: Double, y: Double)] {
      values.indices.filter { $0 % stride == 0 }.map { i in
        let slice = values[max(0, i - window + 1)...i]
        return (Double(i + 1), slice.reduce(0, +) / Double(slice.count))
      }
    }
    return LineChart(
      title: "GAN LOSSES", xLabel: "STEP", yLabel: "BCE LOSS (MOVING AVERAGE)",
      series: [
        .init(name: "discriminator", color: LineChart.palette[0], points: smooth(losses.map(\.d))),
        .init(name: "generator", color: LineChart.palette[1], points: smooth(losses.map(\.g))),
      ]
    ).render()
  }
}

/// New images from a saved generator (`playground gan sample`).
public enum GANSampler {
  /// A sheet of `count` new images from the generator at `url`; `digit` picks the class of a
  /// conditional generator (otherwise each row is one class).
  public static func sample(checkpoint url: URL, count: Int, digit: Int?, seed: UInt64) throws
    -> Image
  {
    let contents = try SafeTensors.read(from: url)
    guard let text = contents.metadata["config"], contents.metadata["format"] == "playground gan"
    else {
      throw RunError(
        "\(url.path) is not a generator saved by playground gan (no config in its metadata)")
    }
    let config = try GANConfig.decode(yaml: text, source: url.path, defaults: GANConfig())
    let side = Int(contents.metadata["side"] ?? "28") ?? 28
    let generator = GANNetworks.make(config, side: side, generator: RandomGenerator(seed: 0))
      .generator
    try generator.load(from: url)
    if let digit, !config.conditional {
      throw RunError(
        "--digit needs a conditional generator; \(url.lastPathComponent) is unconditional (digit \(digit))"
      )
    }
    let random = RandomGenerator(seed: seed)
    let noise = random.normalTensor([count, config.latentSize])
    let labels = config.conditional ? (0..<count).map { digit ?? ($0 / 10 % 10) } : nil
    return GANRun.sheet(generator, noise: noise, labels: labels)
  }
}

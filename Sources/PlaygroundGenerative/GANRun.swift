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
  }

  public var scenario: String { "gan-\(config.dataset.rawValue)" }

  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> RunFolder {
    let started = Date()
    try config.validate()
    let dataset = try DatasetLoader(sources: sources).load(config.dataset) { if !quiet { say($0) } }
    let images = dataset.train.images
    guard images.rows == images.columns, images.rows % 4 == 0 else {
      throw RunError(
        "the GANs need square images with a side divisible by 4, got \(images.rows)×\(images.columns)"
      )
    }
    guard images.count >= config.batchSize else {
      throw RunError("batch_size \(config.batchSize) exceeds the \(images.count) training images")
    }
    let side = images.rows
    let random = RandomGenerator(seed: config.seed)
    let trainer = GANTrainer(config: config, side: side, classes: 10, random: random)
    let shuffler = random.derived(stream: 3)
    let fixedNoise = random.derived(stream: 4).normalTensor([100, config.latentSize])
    let fixedLabels = config.conditional ? (0..<100).map { $0 / 10 } : nil
    if !quiet {
      say("\(config.dataset.title): \(images.count) training images from \(dataset.train.source)")
      say(
        "\(config.conditional ? "conditional " : "")\(config.model.rawValue) GAN, generator \(trainer.generator.parameterCount) and discriminator \(trainer.discriminator.parameterCount) parameters"
      )
    }
    // The judge of sample quality, and real test features to compare with.
    var scorer: DigitScorer?
    var realFeatures: Tensor?
    var realScore: Double?
    if config.qualityEvery > 0 {
      let judge = try DigitScorer.load(
        dataset: config.dataset, train: images, cacheDirectory: sources.cacheDirectory
      ) { if !quiet { say($0) } }
      let test = dataset.test.images
      let count = min(config.qualitySamples, test.count)
      let real = judge.judge(GANRun.batch(test, Array(0..<count)))
      realFeatures = real.features
      // Calibration: the Inception Score of real test images under this judge.
      realScore =
        SampleQuality(
          probabilities: real.probabilities, features: real.features, realFeatures: real.features
        )
        .inceptionScore
      scorer = judge
    }
    let qualityNoise = random.derived(stream: 5).normalTensor([
      config.qualitySamples, config.latentSize,
    ])
    let qualityLabels = config.conditional ? (0..<config.qualitySamples).map { $0 % 10 } : nil
    func quality() -> SampleQuality? {
      guard let scorer, let realFeatures else { return nil }
      trainer.generator.setTraining(false)
      defer { trainer.generator.setTraining(true) }
      let samples = withoutGradient {
        trainer.generator.generate(noise: qualityNoise, labels: qualityLabels)
      }
      let (probabilities, features) = scorer.judge(samples)
      return SampleQuality(
        probabilities: probabilities, features: features, realFeatures: realFeatures,
        labels: qualityLabels)
    }

    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: config.seed)
    do {
      try folder.write(config.yaml(), to: "config.yaml")
      var metrics = MetricsLog(columns: [
        "epoch", "d_loss", "g_loss", "inception_score", "frechet_distance", "confident_share",
        "smallest_class_share", "largest_class_share",
      ])
      var lastQuality: SampleQuality?
      var stepLosses: [(d: Double, g: Double)] = []
      let batches = images.count / config.batchSize
      var trainSeconds = 0.0
      var sheets: [Image] = []
      var epoch = 0
      // Until the epoch limit, or the end of the epoch that passes the time budget.
      while (config.epochs == 0 || epoch < config.epochs)
        && (config.minutes == 0 || trainSeconds < config.minutes * 60)
      {
        epoch += 1
        let limit =
          config.epochs > 0
          ? "/\(config.epochs)"
          : String(format: " (%.1f of %.3g minutes)", trainSeconds / 60, config.minutes)
        if !quiet { say("Epoch \(epoch)\(limit)") }
        let progress = ProgressLine(total: batches, quiet: quiet)
        let order = shuffler.permutation(images.count)
        var (sumD, sumG) = (0.0, 0.0)
        let epochStart = Date()
        for b in 0..<batches {
          let indices = Array(order[(b * config.batchSize)..<((b + 1) * config.batchSize)])
          let real = GANRun.batch(images, indices)
          let labels = config.conditional ? indices.map { Int(images.labels[$0]) } : nil
          let (d, g) = trainer.step(real: real, labels: labels)
          stepLosses.append((Double(d), Double(g)))
          sumD += Double(d)
          sumG += Double(g)
          progress.update(
            b + 1, metrics: [("d_loss", sumD / Double(b + 1)), ("g_loss", sumG / Double(b + 1))])
        }
        trainSeconds += Date().timeIntervalSince(epochStart)
        let lastEpoch =
          (config.epochs > 0 && epoch == config.epochs)
          || (config.minutes > 0 && trainSeconds >= config.minutes * 60)
        let scored = config.qualityEvery > 0 && (epoch % config.qualityEvery == 0 || lastEpoch)
        let measured = scored ? quality() : nil
        if let measured { lastQuality = measured }
        let scores: [(String, Double)] =
          measured.map {
            [
              ("IS", $0.inceptionScore), ("FID", $0.frechetDistance),
              ("confident", $0.confidentShare),
            ]
          }
          ?? []
        progress.finish(
          metrics: [("d_loss", sumD / Double(batches)), ("g_loss", sumG / Double(batches))] + scores
        )
        metrics.append([
          Double(epoch), sumD / Double(batches), sumG / Double(batches),
          measured?.inceptionScore ?? .nan,
          measured?.frechetDistance ?? .nan, measured?.confidentShare ?? .nan,
          measured?.classShares.min() ?? .nan, measured?.classShares.max() ?? .nan,
        ])
        try folder.write(metrics.csv, to: "metrics.csv")
        let sheet = GANRun.sheet(trainer.generator, noise: fixedNoise, labels: fixedLabels)
        sheets.append(sheet)
        try folder.write(PNG.encode(sheet), to: String(format: "samples/epoch-%03d.png", epoch))
      }
      try folder.write(
        PNG.encode(GANRun.sheet(trainer.generator, noise: fixedNoise, labels: fixedLabels)),
        to: "samples/final.png")
      try PNG.write(lossChart(stepLosses), to: folder.url(for: "losses.png"))
      try PNG.write(GANRun.progress(sheets), to: folder.url(for: "progress.png"))
      try PNG.write(
        GANRun.interpolations(
          trainer.generator, random: random.derived(stream: 6), conditional: config.conditional),
        to: folder.url(for: "interpolation.png"))
      let metadata = [
        "config": try config.yaml(), "format": "playground gan", "side": String(side),
      ]
      try trainer.generator.save(to: folder.url(for: "generator.safetensors"), metadata: metadata)
      try trainer.discriminator.save(
        to: folder.url(for: "discriminator.safetensors"), metadata: metadata)
      var summary = Summary(for: folder, extraVersions: ["openblas_core": BLAS.shared.coreName])
      summary["seed"] = config.seed
      summary["dataset"] = config.dataset.rawValue
      summary["model"] = config.model.rawValue
      summary["conditional"] = config.conditional
      summary["epochs"] = epoch
      summary["train_images"] = images.count
      summary["steps"] = stepLosses.count
      summary["images_per_second"] =
        Double(stepLosses.count * config.batchSize) / max(trainSeconds, 1e-9)
      summary["final_d_loss"] = stepLosses.last?.d ?? .nan
      summary["final_g_loss"] = stepLosses.last?.g ?? .nan
      summary["train_seconds"] = trainSeconds
      if let lastQuality {
        summary["inception_score"] = lastQuality.inceptionScore
        summary["frechet_distance"] = lastQuality.frechetDistance
        summary["confident_share"] = lastQuality.confidentShare
        summary["class_shares"] = lastQuality.classShares
        summary["label_accuracy"] = lastQuality.labelAccuracy ?? NSNull()
        summary["quality_samples"] = config.qualitySamples
        summary["real_images_inception_score"] = realScore ?? .nan
      }
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()
      if let lastQuality {
        say(
          String(
            format:
              "Inception Score %.2f (real test images: %.2f), Fréchet distance %.2f, %.0f%% confident, class shares %.0f–%.0f%%",
            lastQuality.inceptionScore, realScore ?? .nan, lastQuality.frechetDistance,
            lastQuality.confidentShare * 100,
            (lastQuality.classShares.min() ?? 0) * 100, (lastQuality.classShares.max() ?? 0) * 100)
            + (lastQuality.labelAccuracy.map {
              String(format: ", %.0f%% drawn as their label", $0 * 100)
            } ?? ""))
      }
      say(
        String(
          format: "%d steps at %.0f images/s — run saved to %@", stepLosses.count,
          Double(stepLosses.count * config.batchSize) / max(trainSeconds, 1e-9),
          folder.finalURL.path))
      return folder
    } catch {
      folder.discard()
      throw error
    }
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

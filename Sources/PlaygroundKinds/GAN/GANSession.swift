import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundRuns

/// What a GAN run sets up before its first step, the same way for a new run and a resumed one:
/// the training images, the trainer, the seeded streams and fixed noise, and the judge of sample
/// quality with real test features to compare against.
final class GANSession {
  let images: LabeledImages
  let random: RandomGenerator
  let trainer: GANTrainer
  /// Shuffles the training images every epoch.
  let shuffler: RandomGenerator
  /// The noise (and labels) of every epoch's sample sheet.
  let fixedNoise: Tensor
  let fixedLabels: [Int]?
  let qualityNoise: Tensor
  let qualityLabels: [Int]?
  /// Scores samples (when `quality_every` asks for it).
  let judge: SampleJudge?
  /// The judge's Inception Score of real test images (its ceiling).
  var realScore: Double? { judge?.realScore }
  /// Every epoch's sample sheet so far.
  var sheets: [Image] = []
  /// `60000 images, sha256 1f2e…`: which training images these are, kept in the training state
  /// so that a run is never resumed on other data.
  lazy var imagesFingerprint: String = {
    let digest = SHA256.hexDigest(images.pixels + images.labels)
    return "\(images.count) images, sha256 \(digest.prefix(16))"
  }()

  init(config: GANConfig, sources: DataSources, quiet: Bool, say: (String) -> Void) throws {
    let dataset = try DatasetLoader.withinMemoryBudget(sources: sources).load(config.dataset) {
      if !quiet { say($0) }
    }
    images = dataset.train.images
    guard images.rows == images.columns, images.rows % 4 == 0 else {
      throw RunError(
        "the GANs need square images with a side divisible by 4, got \(images.rows)×\(images.columns)"
      )
    }
    guard images.count >= config.batchSize else {
      throw RunError("batch_size \(config.batchSize) exceeds the \(images.count) training images")
    }
    random = RandomGenerator(seed: config.seed)
    let classes = config.dataset.classNames.count
    trainer = GANTrainer(config: config, side: images.rows, classes: classes, random: random)
    shuffler = random.derived(stream: 3)
    fixedNoise = random.derived(stream: 4).normalTensor([100, config.latentSize])
    // A 10×10 sheet, one class per row.
    fixedLabels = config.conditional ? (0..<100).map { $0 / 10 % classes } : nil
    qualityNoise = random.derived(stream: 5).normalTensor([
      config.qualitySamples, config.latentSize,
    ])
    qualityLabels = config.conditional ? (0..<config.qualitySamples).map { $0 % classes } : nil
    if !quiet {
      say("\(config.dataset.title): \(images.count) training images from \(dataset.train.source)")
      say(
        "\(config.conditional ? "conditional " : "")\(config.model.rawValue) GAN, generator \(trainer.generator.parameterCount) and discriminator \(trainer.discriminator.parameterCount) parameters"
      )
    }
    judge =
      config.qualityEvery > 0
      ? try SampleJudge(
        dataset: config.dataset, data: (images, dataset.test.images),
        realCount: config.qualitySamples, cacheDirectory: sources.cacheDirectory
      ) { if !quiet { say($0) } } : nil
  }

  /// Scores of the generator's images from the fixed quality noise, in evaluation mode.
  func quality() -> SampleQuality? {
    guard let judge else { return nil }
    trainer.generator.setTraining(false)
    defer { trainer.generator.setTraining(true) }
    let samples = withoutGradient {
      trainer.generator.generate(noise: qualityNoise, labels: qualityLabels)
    }
    return judge.quality(of: samples, labels: qualityLabels)
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundRuns

/// What a flow run sets up before its first step, the same way for a new run and a resumed one:
/// the training images, the trainer, the seeded streams, the fixed noise of the sample sheets
/// and of the scores, and the judge.
final class FlowSession {
  let config: FlowConfig
  let images: LabeledImages
  let classes: Int
  let trainer: FlowTrainer
  /// Shuffles the training images every epoch.
  let shuffler: RandomGenerator
  /// The noise of every epoch's sheet (10×10, row = class) and of the trajectory picture.
  let sheetNoise: Tensor
  let sheetLabels: [Int]
  /// The noise and labels (class k for sample k mod classes) of the scored samples.
  let qualityNoise: Tensor
  let qualityLabels: [Int]
  let judge: SampleJudge?
  /// Every epoch's sample sheet so far.
  var sheets: [Image] = []
  /// Which training images these are, kept in the training state so that a run is never
  /// resumed on other data.
  lazy var imagesFingerprint: String = {
    let digest = SHA256.hexDigest(images.pixels + images.labels)
    return "\(images.count) images, sha256 \(digest.prefix(16))"
  }()

  init(config: FlowConfig, sources: DataSources, quiet: Bool, say: (String) -> Void) throws {
    self.config = config
    let dataset = try DatasetLoader.withinMemoryBudget(sources: sources).load(config.dataset) {
      if !quiet { say($0) }
    }
    images = dataset.train.images
    guard images.rows == images.columns, images.rows % 4 == 0 else {
      throw RunError(
        "the flow U-Net needs square images with a side divisible by 4, got \(images.rows)×\(images.columns)"
      )
    }
    guard images.count >= config.batchSize else {
      throw RunError("batch_size \(config.batchSize) exceeds the \(images.count) training images")
    }
    let random = RandomGenerator(seed: config.seed)
    let classes = config.dataset.classNames.count
    self.classes = classes
    trainer = FlowTrainer(config: config, classes: classes, random: random)
    shuffler = random.derived(stream: 3)
    let side = images.rows
    sheetNoise = random.derived(stream: 4).normalTensor([100, 1, side, side])
    sheetLabels = (0..<100).map { $0 / 10 % classes }
    qualityNoise = random.derived(stream: 5).normalTensor([config.qualitySamples, 1, side, side])
    qualityLabels = (0..<config.qualitySamples).map { $0 % classes }
    if !quiet {
      say("\(config.dataset.title): \(images.count) training images from \(dataset.train.source)")
      say(
        "flow-matching U-Net \(config.widths.map(String.init).joined(separator: "/")) channels, \(trainer.network.parameterCount) parameters"
      )
    }
    judge =
      config.qualityEvery > 0
      ? try SampleJudge(
        dataset: config.dataset, data: (images, dataset.test.images),
        realCount: config.qualitySamples, cacheDirectory: sources.cacheDirectory
      ) { if !quiet { say($0) } } : nil
  }

  /// The sampler of the averaged weights with the run's steps, method and guidance.
  var sampler: FlowSampler {
    FlowSampler(
      trainer.averaged, steps: config.sampleSteps, method: config.sampler,
      guidance: Float(config.guidance), guidanceInterval: config.guidanceTimes)
  }

  /// Images from `noise` with `labels`, in chunks of at most 250 (bounding the memory of a
  /// guided batch); the result does not depend on the chunking (each image is its own).
  func samples(noise: Tensor, labels: [Int]) -> Tensor {
    FlowSampling.chunked(noise: noise, labels: labels, sampler: sampler)
  }

  /// The scores of the samples from the fixed quality noise.
  func quality() -> SampleQuality? {
    guard let judge else { return nil }
    return judge.quality(
      of: samples(noise: qualityNoise, labels: qualityLabels), labels: qualityLabels)
  }
}

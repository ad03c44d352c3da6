import Foundation
import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative

/// The judge of generated images: the playground's CNN for a data set (``DigitScorer``) with the
/// features of real test images to compare against, so that every generative kind — and
/// `gan score`, for other frameworks' samples — reports the same measures on equal terms.
struct SampleJudge {
  let scorer: DigitScorer
  /// The features of up to `realCount` real test images.
  let realFeatures: Tensor
  /// The judge's Inception Score of those real images (its ceiling).
  let realScore: Double

  /// Loads (or trains and caches) the judge for `dataset` and measures `realCount` test images.
  init(
    dataset: DatasetName, data: (train: LabeledImages, test: LabeledImages), realCount: Int,
    cacheDirectory: URL, log: (String) -> Void
  ) throws {
    scorer = try DigitScorer.load(
      dataset: dataset, train: data.train, cacheDirectory: cacheDirectory, log: log)
    let count = min(realCount, data.test.count)
    let real = scorer.judge(data.test.scaledBatch(Array(0..<count)))
    realFeatures = real.features
    realScore =
      SampleQuality(
        probabilities: real.probabilities, features: real.features, realFeatures: real.features
      ).inceptionScore
  }

  /// The measures of `samples` (`[n, 1, side, side]` in [−1, 1]); `labels`, when given, are
  /// the classes they were asked to show.
  func quality(of samples: Tensor, labels: [Int]? = nil) -> SampleQuality {
    let (probabilities, features) = scorer.judge(samples)
    return SampleQuality(
      probabilities: probabilities, features: features, realFeatures: realFeatures,
      labels: labels)
  }
}

extension LabeledImages {
  /// The images at `indices` scaled to [−1, 1], `[n, 1, rows, columns]`: what the generative
  /// kinds learn and the judge reads.
  func scaledBatch(_ indices: [Int]) -> Tensor {
    var scalars = [Float]()
    scalars.reserveCapacity(indices.count * pixelsPerImage)
    for index in indices {
      for pixel in image(index) { scalars.append(Float(pixel) / 127.5 - 1) }
    }
    return Tensor(shape: [indices.count, 1, rows, columns], scalars: scalars)
  }
}

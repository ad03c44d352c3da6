import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundRuns

/// Scores pictures of generated images from anywhere — e.g. another framework's sample grids —
/// with the same judge and real test features as `playground gan` itself, so that two GANs can
/// be compared on equal terms (`playground gan score`).
public enum SampleScoring {
  /// The images of `pictures`: each PNG cut into `side × side` tiles (no gutters), row by row,
  /// scaled to [−1, 1], `[n, 1, side, side]`.
  public static func tiles(of pictures: [URL], side: Int) throws -> Tensor {
    try tilesAndRows(of: pictures, side: side).images
  }

  /// ``tiles(of:side:)`` with each tile's row in its picture (0 at the top).
  public static func tilesAndRows(of pictures: [URL], side: Int) throws -> (
    images: Tensor, rows: [Int]
  ) {
    var scalars: [Float] = []
    var rows: [Int] = []
    var count = 0
    for url in pictures {
      let image = try PNG.read(url).converted(toChannels: 1)
      guard image.width % side == 0, image.height % side == 0 else {
        throw RunError(
          "\(url.path) is \(image.width)×\(image.height): not a grid of \(side)×\(side) tiles without gutters"
        )
      }
      for row in stride(from: 0, to: image.height, by: side) {
        for column in stride(from: 0, to: image.width, by: side) {
          for y in row..<(row + side) {
            for x in column..<(column + side) {
              scalars.append(Float(image.pixels[y * image.width + x]) / 127.5 - 1)
            }
          }
          count += 1
          rows.append(row / side)
        }
      }
    }
    guard count >= 10 else { throw RunError("found \(count) tiles; score at least 10 images") }
    return (Tensor(shape: [count, 1, side, side], scalars: scalars), rows)
  }

  /// The quality of `images` (`[n, 1, side, side]` in [−1, 1]) under the playground's judge for
  /// `dataset`, against up to `realCount` real test images; also the real images' own score.
  /// With `labels` (one per image), the quality includes the share drawn as their label.
  public static func score(
    _ images: Tensor, labels: [Int]? = nil, dataset: DatasetName, sources: DataSources,
    realCount: Int = 1_000, log: (String) -> Void = { _ in }
  ) throws -> (quality: SampleQuality, realInceptionScore: Double) {
    let data = try DatasetLoader.withinMemoryBudget(sources: sources).load(dataset, log: log)
    let judge = try SampleJudge(
      dataset: dataset, data: (data.train.images, data.test.images), realCount: realCount,
      cacheDirectory: sources.cacheDirectory, log: log)
    return (judge.quality(of: images, labels: labels), judge.realScore)
  }
}

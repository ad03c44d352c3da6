import Foundation
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundImage

/// The pictures of a flow run: sample sheets, the trajectory from noise to digits, the loss.
enum FlowPictures {
  /// A 10-column sheet of images in [−1, 1] (`[n, 1, side, side]`), twice their size with
  /// gutters — or, `plain`, at their size without gutters (what `gan score` cuts into tiles).
  static func sheet(_ images: Tensor, plain: Bool = false) -> Image {
    let side = images.shape[3]
    let tiles = (0..<images.shape[0]).map { k in tile(images, k, side: side, scale: 1) }
    return SampleSheets.sheet(tiles, plain: plain)
  }

  /// One row per class: its image at t = 0 (the noise) and after every `every`-th sampling
  /// step, to the end.
  static func trajectory(sampler: FlowSampler, noise: Tensor, classes: Int) -> Image {
    let labels = Array(0..<classes)
    let every = max(1, sampler.steps / 10)
    var frames: [Tensor] = [noise]
    _ = sampler.sample(noise: noise, labels: labels) { step, x in
      if step % every == 0 || step == sampler.steps { frames.append(x) }
    }
    let side = noise.shape[3]
    var tiles: [Image] = []
    for row in 0..<classes {
      for frame in frames { tiles.append(tile(frame, row, side: side)) }
    }
    return Image.grid(tiles, columns: frames.count, gutter: 2, background: [128])
  }

  /// Image `k` of `images`, clamped to [−1, 1], `scale` times its size.
  private static func tile(_ images: Tensor, _ k: Int, side: Int, scale: Int = 2) -> Image {
    let image = Image(
      width: side, height: side,
      intensities: images.scalars[(k * side * side)..<((k + 1) * side * side)].map {
        (min(max($0, -1), 1) + 1) / 2
      })
    return scale == 1 ? image : image.upscaled(by: scale)
  }

  /// The loss of every step (a moving average of 1% of the steps).
  static func lossChart(_ losses: [Double]) -> Image {
    let stride = max(1, losses.count / 600)
    let window = max(1, losses.count / 100)
    let points = losses.indices.filter { $0 % stride == 0 }.map { i in
      let slice = losses[max(0, i - window + 1)...i]
      return (x: Double(i + 1), y: slice.reduce(0, +) / Double(slice.count))
    }
    return LineChart(
      title: "FLOW-MATCHING LOSS", xLabel: "STEP", yLabel: "MSE OF THE VELOCITY (MOVING AVERAGE)",
      series: [.init(name: "loss", color: LineChart.palette[0], points: points)]
    ).render()
  }
}

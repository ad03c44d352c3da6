import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

/// The pictures of a GAN run: sample sheets, the progress strip, latent interpolations, losses.
enum GANPictures {
  /// A 10-column sheet of generated images, twice their size with gutters — or, `plain`, at
  /// their size without gutters (what `gan score` cuts into tiles) — in evaluation mode.
  static func sheet(_ generator: GANGenerator, noise: Tensor, labels: [Int]?, plain: Bool = false)
    -> Image
  {
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
      )
    }
    return SampleSheets.sheet(tiles, plain: plain)
  }

  /// Eight rows, each a straight path in latent space between two random points (one class per
  /// row when conditional), ten images along it.
  static func interpolations(
    _ generator: GANGenerator, random: RandomGenerator, conditional: Bool, classes: Int
  ) -> Image {
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
    let labels = conditional ? (0..<80).map { $0 / 10 % classes } : nil
    return sheet(generator, noise: Tensor(shape: [80, latent], scalars: noise), labels: labels)
  }

  static func lossChart(_ losses: [(d: Double, g: Double)]) -> Image {
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

import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

/// New images from a saved generator (`playground gan sample`).
public enum GANSampler {
  /// A sheet of `count` new images from the generator at `url`; `digit` picks the class of a
  /// conditional generator (otherwise each row is one class); `plain`: at their size without
  /// gutters, for `gan score`.
  public static func sample(
    checkpoint url: URL, count: Int, digit: Int?, seed: UInt64, plain: Bool = false
  ) throws -> Image {
    try sample(
      SafeTensors.read(from: url), source: url, count: count, digit: digit, seed: seed,
      plain: plain)
  }

  /// The same from a checkpoint's decoded contents (`source` names it in messages): every value
  /// of its metadata is checked before it sizes anything (the fuzzer feeds it arbitrary files).
  public static func sample(
    _ contents: SafeTensors.Contents, source url: URL, count: Int, digit: Int?, seed: UInt64,
    plain: Bool = false
  ) throws -> Image {
    guard let text = contents.metadata["config"], contents.metadata["format"] == "playground gan"
    else {
      throw RunError(
        "\(url.path) is not a generator saved by playground gan (no config in its metadata)")
    }
    let config = try GANConfig.decode(yaml: text, source: url.path, defaults: GANConfig())
    // Metadata is input like any other: a side the networks cannot have would trap or size an
    // enormous network before the weights are compared with it.
    let sideText = contents.metadata["side"] ?? "28"
    guard let side = Int(sideText), (4...64).contains(side), side % 4 == 0 else {
      throw RunError(
        "\(url.path): its metadata gives the image side as \(sideText), which no generator has (a multiple of 4 from 4 to 64; 28 for the digits): the file is damaged"
      )
    }
    let generator = GANNetworks.make(config, side: side, generator: RandomGenerator(seed: 0))
      .generator
    try generator.load(contents, source: url.path)
    if let digit, !config.conditional {
      throw RunError(
        "--digit needs a conditional generator; \(url.lastPathComponent) is unconditional (digit \(digit))"
      )
    }
    let random = RandomGenerator(seed: seed)
    let noise = random.normalTensor([count, config.latentSize])
    // Rows of 10, one class per row.
    let classes = config.dataset.classNames.count
    if let digit, !(0..<classes).contains(digit) {
      throw RunError(
        "--digit must be 0–\(classes - 1) for \(config.dataset.rawValue), got \(digit)")
    }
    let labels = config.conditional ? (0..<count).map { digit ?? ($0 / 10 % classes) } : nil
    return GANPictures.sheet(generator, noise: noise, labels: labels, plain: plain)
  }
}

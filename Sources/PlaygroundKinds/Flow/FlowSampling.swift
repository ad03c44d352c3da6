import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN

/// New images from a saved flow model (`playground flow sample`), and the chunked sampling every
/// flow picture uses.
public enum FlowSampling {
  /// The format recorded in the metadata of a flow run's weights.
  static let format = "playground flow"

  /// A sheet of `count` images (10 per row) from the weights at `url`: `digit`'s, or one class
  /// per row; `steps`, `method`, `guidance` and `guidanceInterval` default to the run's
  /// settings; `plain`: at their size without gutters, for `gan score`.
  public static func sample(
    checkpoint url: URL, count: Int, digit: Int?, steps: Int?, method: FlowSamplerKind?,
    guidance: Double?, guidanceInterval: ClosedRange<Float>? = nil, seed: UInt64,
    plain: Bool = false
  ) throws -> Image {
    try sample(
      SafeTensors.read(from: url), source: url, count: count, digit: digit, steps: steps,
      method: method, guidance: guidance, guidanceInterval: guidanceInterval, seed: seed,
      plain: plain)
  }

  /// The same from a checkpoint's decoded contents (`source` names it in messages): every value
  /// of its metadata is checked before it sizes anything (the fuzzer feeds it arbitrary files).
  public static func sample(
    _ contents: SafeTensors.Contents, source url: URL, count: Int, digit: Int?, steps: Int?,
    method: FlowSamplerKind?, guidance: Double?, guidanceInterval: ClosedRange<Float>? = nil,
    seed: UInt64, plain: Bool = false
  ) throws -> Image {
    let (network, config) = try network(from: contents, source: url)
    let classes = network.classes
    if let digit, !(0..<classes).contains(digit) {
      throw RunError(
        "--digit must be 0–\(classes - 1) for \(config.dataset.rawValue), got \(digit)")
    }
    let sampler = FlowSampler(
      network, steps: steps ?? config.sampleSteps, method: method ?? config.sampler,
      guidance: Float(guidance ?? config.guidance),
      guidanceInterval: guidanceInterval ?? config.guidanceTimes)
    let side = network.side
    let noise = RandomGenerator(seed: seed).normalTensor([count, 1, side, side])
    let labels = (0..<count).map { digit ?? ($0 / 10 % classes) }
    return FlowPictures.sheet(
      chunked(noise: noise, labels: labels, sampler: sampler), plain: plain)
  }

  /// The network saved in `contents` (a flow run's `ema.safetensors` or `network.safetensors`)
  /// and the run's settings, every value of the metadata checked before it sizes anything.
  static func network(from contents: SafeTensors.Contents, source url: URL) throws -> (
    FlowUNet, FlowConfig
  ) {
    guard let text = contents.metadata["config"], contents.metadata["format"] == format else {
      throw RunError(
        "\(url.path) is not a network saved by playground flow (no config in its metadata)")
    }
    let config = try FlowConfig.decode(yaml: text, source: url.path, defaults: FlowConfig())
    try config.validate()
    let sideText = contents.metadata["side"] ?? "28"
    guard let side = Int(sideText), (4...64).contains(side), side % 4 == 0 else {
      throw RunError(
        "\(url.path): its metadata gives the image side as \(sideText), which no flow U-Net has (a multiple of 4 from 4 to 64): the file is damaged"
      )
    }
    let network = FlowUNet(
      widths: config.widths, embeddingSize: config.embeddingSize, groups: config.groups,
      classes: config.dataset.classNames.count, generator: RandomGenerator(seed: 0))
    try network.load(contents, source: url.path)
    network.side = side
    return (network, config)
  }

  /// `sampler`'s images from `noise` with `labels`, 250 at a time.
  static func chunked(noise: Tensor, labels: [Int], sampler: FlowSampler) -> Tensor {
    let count = noise.shape[0]
    let perImage = noise.count / max(count, 1)
    var scalars: [Float] = []
    scalars.reserveCapacity(noise.count)
    for start in stride(from: 0, to: count, by: 250) {
      let end = min(start + 250, count)
      let chunk = Tensor(
        shape: [end - start] + noise.shape.dropFirst(),
        scalars: Array(noise.scalars[(start * perImage)..<(end * perImage)]))
      scalars += sampler.sample(noise: chunk, labels: Array(labels[start..<end])).scalars
    }
    return Tensor(shape: noise.shape, scalars: scalars)
  }
}

import Foundation
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundRandom

extension GANRun: ExportableRun {
  /// The generator: input `noise` `[batch, latent]` and, conditional, `label` (int64) `[batch]`;
  /// output `image` `[batch, 1, 28, 28]` in [−1, 1].
  public func exportedNetwork(run folder: URL) throws -> any ExportedModel {
    let url = folder.appendingPathComponent("generator.safetensors")
    let generator = GANNetworks.make(config, generator: RandomGenerator(seed: 0)).generator
    try generator.load(SafeTensors.read(from: url), source: url.path)
    return ExportedNetwork(
      network: generator.body, input: .init(name: "noise", shape: [generator.latentSize]),
      output: .init(name: "image", shape: [1, generator.side, generator.side]),
      description:
        "\(config.model.rawValue) GAN generator\(generator.embedding == nil ? "" : " (conditional)")",
      labelEmbedding: generator.embedding, inputRange: [-3...3])
  }
}

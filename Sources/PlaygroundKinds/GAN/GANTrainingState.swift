import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundNN

/// Where a GAN run stopped — `checkpoint/training-state.safetensors` in its folder, written at
/// the end of an epoch at most every 30 s and on Ctrl-C — so that `playground gan --resume` continues it with the same
/// results as an uninterrupted run of the same seed.
///
/// It holds the trainer's ``GANTrainer/checkpoint()`` (networks, Adam moments, noise stream)
/// plus the loop's position: epochs done, the next batch of the epoch in progress, the shuffling
/// stream as it was before that epoch's permutation, the running loss sums and every step's
/// losses.
struct GANTrainingState {
  static let fileName = "checkpoint/training-state.safetensors"
  static let format = "playground gan training state"

  var completedEpochs = 0
  /// The next batch of epoch `completedEpochs + 1` (0 at an epoch boundary).
  var nextBatch = 0
  /// The shuffling stream before the permutation of epoch `completedEpochs + 1`.
  var shuffler: RandomGenerator.Snapshot
  var sumD = 0.0
  var sumG = 0.0
  /// Training time so far, in seconds (the `minutes` budget counts it).
  var trainSeconds = 0.0
  var stepLosses: [(d: Double, g: Double)] = []
  /// The scored epoch with the lowest Fréchet distance so far, and its generator's state (for
  /// `keep_best`).
  var best: (epoch: Int, frechetDistance: Double, generator: [[Float]])?

  init(shuffler: RandomGenerator.Snapshot) {
    self.shuffler = shuffler
  }

  /// The file's contents: the trainer's checkpoint plus this position.
  /// - Parameter images: the training images' fingerprint (``GANSession/imagesFingerprint``).
  func contents(trainer: GANTrainer, images: String) -> SafeTensors.Contents {
    var contents = trainer.checkpoint()
    contents.metadata.merge(
      [
        "format": Self.format, "training_images": images,
        "completed_epochs": String(completedEpochs),
        "next_batch": String(nextBatch), "shuffler": shuffler.description,
        "sum_d": String(sumD), "sum_g": String(sumG), "train_seconds": String(trainSeconds),
      ]
    ) { $1 }
    if let best {
      contents.metadata["best_epoch"] = String(best.epoch)
      contents.metadata["best_frechet_distance"] = String(best.frechetDistance)
      for (k, scalars) in best.generator.enumerated() {
        contents.tensors.append(
          ("best_generator.\(k)", Tensor(shape: [scalars.count], scalars: scalars)))
      }
    }
    if !stepLosses.isEmpty {
      contents.tensors.append(
        (
          "step_losses",
          Tensor(
            shape: [stepLosses.count, 2],
            scalars: stepLosses.flatMap { [Float($0.d), Float($0.g)] })
        ))
    }
    return contents
  }

  /// Reads a state written by ``contents(trainer:images:)`` into `trainer`.
  /// - Throws: ``RunError`` when the file is not such a state, ``CheckpointMismatch`` when it
  ///   belongs to another architecture.
  static func restore(_ contents: SafeTensors.Contents, into trainer: GANTrainer, source: String)
    throws -> GANTrainingState
  {
    let metadata = contents.metadata
    guard metadata["format"] == format,
      let completed = metadata["completed_epochs"].flatMap({ Int($0) }),
      let next = metadata["next_batch"].flatMap({ Int($0) }),
      let shuffler = metadata["shuffler"].flatMap(RandomGenerator.Snapshot.init),
      let sumD = metadata["sum_d"].flatMap({ Double($0) }),
      let sumG = metadata["sum_g"].flatMap({ Double($0) }),
      let seconds = metadata["train_seconds"].flatMap({ Double($0) })
    else {
      throw RunError("\(source) is not a GAN training state written by playground gan")
    }
    guard completed >= 0, next >= 0, seconds.isFinite, seconds >= 0, sumD.isFinite, sumG.isFinite
    else {
      throw RunError(
        "\(source): the saved position (epoch \(completed), batch \(next), \(seconds) s) is out of range; the file is damaged"
      )
    }
    try trainer.restore(contents, source: source)
    var state = GANTrainingState(shuffler: shuffler)
    state.completedEpochs = completed
    state.nextBatch = next
    state.sumD = sumD
    state.sumG = sumG
    state.trainSeconds = seconds
    if let epoch = metadata["best_epoch"].flatMap({ Int($0) }),
      let distance = metadata["best_frechet_distance"].flatMap({ Double($0) })
    {
      let sizes = trainer.generator.namedState.map(\.tensor.count)
      var generator: [[Float]] = []
      for (k, size) in sizes.enumerated() {
        guard let tensor = contents["best_generator.\(k)"], tensor.count == size else {
          throw RunError("\(source) lacks the best generator's tensor \(k)")
        }
        generator.append(tensor.scalars)
      }
      state.best = (epoch, distance, generator)
    }
    if let losses = contents["step_losses"] {
      let values = losses.scalars
      state.stepLosses = stride(from: 0, to: values.count - 1, by: 2).map {
        (Double(values[$0]), Double(values[$0 + 1]))
      }
    }
    return state
  }
}

extension GANTrainingState: EpochPosition {
  var steps: Int { stepLosses.count }
}

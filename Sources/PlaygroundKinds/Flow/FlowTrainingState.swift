import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundNN

/// Where a flow run stopped — `checkpoint/training-state.safetensors` in its folder, written at
/// the end of an epoch at most every 30 s and on Ctrl-C — so that `playground flow --resume`
/// continues it with the same results as an uninterrupted run of the same seed: the trainer's
/// ``FlowTrainer/checkpoint()`` plus the loop's position (epochs done, the next batch, the
/// shuffling stream before that epoch's permutation, the epoch's running loss, every step's
/// loss).
struct FlowTrainingState {
  static let fileName = "checkpoint/training-state.safetensors"
  static let format = "playground flow training state"

  var completedEpochs = 0
  /// The next batch of epoch `completedEpochs + 1` (0 at an epoch boundary).
  var nextBatch = 0
  /// The shuffling stream before the permutation of epoch `completedEpochs + 1`.
  var shuffler: RandomGenerator.Snapshot
  var sumLoss = 0.0
  /// Training time so far, in seconds (the `minutes` budget counts it).
  var trainSeconds = 0.0
  var stepLosses: [Double] = []

  init(shuffler: RandomGenerator.Snapshot) {
    self.shuffler = shuffler
  }

  /// The file's contents: the trainer's checkpoint plus this position.
  func contents(trainer: FlowTrainer, images: String) -> SafeTensors.Contents {
    var contents = trainer.checkpoint()
    contents.metadata.merge(
      [
        "format": Self.format, "training_images": images,
        "completed_epochs": String(completedEpochs), "next_batch": String(nextBatch),
        "shuffler": shuffler.description, "sum_loss": String(sumLoss),
        "train_seconds": String(trainSeconds),
      ]
    ) { $1 }
    if !stepLosses.isEmpty {
      contents.tensors.append(
        ("step_losses", Tensor(shape: [stepLosses.count], scalars: stepLosses.map { Float($0) })))
    }
    return contents
  }

  /// Reads a state written by ``contents(trainer:images:)`` into `trainer`, checking every value
  /// (the fuzzer feeds it arbitrary files).
  static func restore(_ contents: SafeTensors.Contents, into trainer: FlowTrainer, source: String)
    throws -> FlowTrainingState
  {
    let metadata = contents.metadata
    guard metadata["format"] == format,
      let completed = metadata["completed_epochs"].flatMap({ Int($0) }),
      let next = metadata["next_batch"].flatMap({ Int($0) }),
      let shuffler = metadata["shuffler"].flatMap(RandomGenerator.Snapshot.init),
      let sumLoss = metadata["sum_loss"].flatMap({ Double($0) }),
      let seconds = metadata["train_seconds"].flatMap({ Double($0) })
    else {
      throw RunError("\(source) is not a flow training state written by playground flow")
    }
    guard completed >= 0, next >= 0, seconds.isFinite, seconds >= 0, sumLoss.isFinite else {
      throw RunError(
        "\(source): the saved position (epoch \(completed), batch \(next), \(seconds) s) is out of range; the file is damaged"
      )
    }
    try trainer.restore(contents, source: source)
    var state = FlowTrainingState(shuffler: shuffler)
    (state.completedEpochs, state.nextBatch) = (completed, next)
    (state.sumLoss, state.trainSeconds) = (sumLoss, seconds)
    state.stepLosses = contents["step_losses"]?.scalars.map { Double($0) } ?? []
    return state
  }
}

extension FlowTrainingState: EpochPosition {
  var steps: Int { stepLosses.count }
}

import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundRuns

/// The epochs of a flow run from a training state on: steps, then per epoch a row of
/// `metrics.csv`, a sample sheet, the scores on the epochs that are scored, and (at most every
/// 30 s) the training state. Ctrl-C saves the state and the networks and ends the run as
/// `interrupted`, ready for `--resume`.
struct FlowTrainingLoop {
  let job: FlowRun
  let session: FlowSession
  let folder: RunFolder
  var state: FlowTrainingState
  var metrics: MetricsLog
  let context: RunContext
  /// The scores of the last scored epoch.
  var lastQuality: SampleQuality?
  /// Steps taken by this process (for ``FlowRun/interruptAfterSteps``).
  private var stepsHere = 0
  private var lastSave = Date()

  init(
    run: FlowRun, session: FlowSession, folder: RunFolder, state: FlowTrainingState,
    metrics: MetricsLog, context: RunContext
  ) {
    (self.job, self.session, self.folder, self.state) = (run, session, folder, state)
    (self.metrics, self.context) = (metrics, context)
  }

  private var config: FlowConfig { job.config }
  private var budget: EpochBudget { EpochBudget(epochs: config.epochs, minutes: config.minutes) }
  private var batches: Int { session.images.count / config.batchSize }

  /// Until the epoch limit, or the end of the epoch that passes the time budget.
  mutating func run() throws {
    session.shuffler.snapshot = state.shuffler
    while budget.allowsAnother(completed: state.completedEpochs, trainSeconds: state.trainSeconds) {
      let epoch = state.completedEpochs + 1
      context.progress(budget.progress(epoch: epoch, trainSeconds: state.trainSeconds))
      let progress = ProgressLine(total: batches, quiet: context.quiet)
      try steps(progress)
      try endEpoch(epoch, progress: progress)
    }
  }

  /// The rest of the current epoch's steps.
  private mutating func steps(_ progress: ProgressLine) throws {
    let images = session.images
    state.shuffler = session.shuffler.snapshot
    let order = session.shuffler.permutation(images.count)
    let epochStart = Date()
    for b in state.nextBatch..<batches {
      if Interruption.isRequested || stepsHere == job.interruptAfterSteps {
        state.nextBatch = b
        state.trainSeconds += Date().timeIntervalSince(epochStart)
        try saveInterrupted()
      }
      let indices = Array(order[(b * config.batchSize)..<((b + 1) * config.batchSize)])
      let loss = session.trainer.step(
        images: images.scaledBatch(indices), labels: indices.map { Int(images.labels[$0]) })
      guard loss.isFinite else {
        throw RunError.diverged(
          at: "step \(state.stepLosses.count + 1) (epoch \(state.completedEpochs + 1))",
          loss: Double(loss), lower: "learning_rate (now \(config.learningRate))")
      }
      stepsHere += 1
      state.stepLosses.append(Double(loss))
      state.sumLoss += Double(loss)
      progress.update(b + 1, metrics: [("loss", state.sumLoss / Double(b + 1))])
    }
    state.trainSeconds += Date().timeIntervalSince(epochStart)
  }

  /// Metrics, the sheet, the scores and maybe the training state of a finished epoch.
  private mutating func endEpoch(_ epoch: Int, progress: ProgressLine) throws {
    let meanLoss = state.sumLoss / Double(batches)
    state.completedEpochs = epoch
    state.nextBatch = 0
    state.sumLoss = 0
    state.shuffler = session.shuffler.snapshot
    let lastEpoch = budget.isSpent(after: epoch, trainSeconds: state.trainSeconds)
    let scored = config.qualityEvery > 0 && (epoch % config.qualityEvery == 0 || lastEpoch)
    let measured = scored ? session.quality() : nil
    if let measured { lastQuality = measured }
    let scores: [(String, Double)] =
      measured.map {
        [("FID", $0.frechetDistance), ("as label", $0.labelAccuracy ?? .nan)]
      } ?? []
    progress.finish(metrics: [("loss", meanLoss)] + scores)
    metrics.append([
      Double(epoch), meanLoss, measured?.inceptionScore ?? .nan,
      measured?.frechetDistance ?? .nan, measured?.confidentShare ?? .nan,
      measured?.labelAccuracy ?? .nan, measured?.classShares.min() ?? .nan,
      measured?.classShares.max() ?? .nan,
    ])
    try folder.write(metrics: metrics, to: "metrics.csv")
    let sheet = FlowPictures.sheet(
      session.samples(noise: session.sheetNoise, labels: session.sheetLabels))
    session.sheets.append(sheet)
    try folder.write(picture: sheet, to: FlowRun.sheetName(epoch), tag: "samples", step: epoch)
    if let measured {
      try context.report(
        budget: Double(epoch),
        [
          "frechet_distance": measured.frechetDistance,
          "label_accuracy": measured.labelAccuracy ?? .nan,
          "inception_score": measured.inceptionScore,
        ])
    }
    if !lastEpoch && Date().timeIntervalSince(lastSave) >= job.saveEverySeconds {
      try job.saveState(state, session: session, folder: folder)
      lastSave = Date()
    }
  }

  /// Saves everything `--resume` needs, marks the run interrupted and ends it; when the save
  /// fails and an earlier save is there, the run is kept as of that save.
  private func saveInterrupted() throws -> Never {
    var summary = Summary(
      for: folder, status: .interrupted, extraVersions: Compute.versions(of: Compute.settings))
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    let resume = "playground flow --resume \(folder.finalURL.path)"
    summary["resume"] = resume
    try EpochRunResume.stop(
      folder, stateFile: FlowTrainingState.fileName,
      save: {
        try job.saveState(state, session: session, folder: folder)
        try job.saveNetworks(session, folder: folder)
      }, summary: summary, position: state, resume: resume)
  }
}

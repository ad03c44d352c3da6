import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundRuns

/// The epochs of a GAN run from a training state on: steps, then per epoch the scores, a row of
/// `metrics.csv`, a sample sheet and (at most every 30 s) the training state. Ctrl-C saves the
/// state and the networks and ends the run as `interrupted`, ready for `--resume`.
struct GANTrainingLoop {
  let job: GANRun
  let session: GANSession
  let folder: RunFolder
  var state: GANTrainingState
  var metrics: MetricsLog
  let context: RunContext
  /// The scores of the last scored epoch.
  var lastQuality: SampleQuality?
  /// Steps taken by this process (for ``GANRun/interruptAfterSteps``).
  private var stepsHere = 0
  private var lastSave = Date()

  init(
    run: GANRun, session: GANSession, folder: RunFolder, state: GANTrainingState,
    metrics: MetricsLog, context: RunContext
  ) {
    (self.job, self.session, self.folder, self.state) = (run, session, folder, state)
    (self.metrics, self.context) = (metrics, context)
  }

  private var config: GANConfig { job.config }
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
      let real = images.scaledBatch(indices)
      let labels = config.conditional ? indices.map { Int(images.labels[$0]) } : nil
      let (d, g) = session.trainer.step(real: real, labels: labels)
      guard d.isFinite, g.isFinite else {
        throw RunError.diverged(
          at: "step \(state.stepLosses.count + 1) (epoch \(state.completedEpochs + 1))",
          loss: Double(d.isFinite ? g : d), lower: "learning_rate (now \(config.learningRate))")
      }
      stepsHere += 1
      state.stepLosses.append((Double(d), Double(g)))
      state.sumD += Double(d)
      state.sumG += Double(g)
      progress.update(
        b + 1,
        metrics: [("d_loss", state.sumD / Double(b + 1)), ("g_loss", state.sumG / Double(b + 1))])
    }
    state.trainSeconds += Date().timeIntervalSince(epochStart)
  }

  /// Scores, metrics, the sheet and maybe the training state of a finished epoch.
  private mutating func endEpoch(_ epoch: Int, progress: ProgressLine) throws {
    let (meanD, meanG) = (state.sumD / Double(batches), state.sumG / Double(batches))
    state.completedEpochs = epoch
    state.nextBatch = 0
    (state.sumD, state.sumG) = (0, 0)
    state.shuffler = session.shuffler.snapshot
    let lastEpoch = budget.isSpent(after: epoch, trainSeconds: state.trainSeconds)
    let scored = config.qualityEvery > 0 && (epoch % config.qualityEvery == 0 || lastEpoch)
    let measured = scored ? session.quality() : nil
    if let measured { lastQuality = measured }
    if config.keepBest, let measured,
      state.best == nil || measured.frechetDistance < state.best!.frechetDistance
    {
      state.best = (
        epoch, measured.frechetDistance,
        session.trainer.generator.namedState.map(\.tensor.scalars)
      )
    }
    let scores: [(String, Double)] =
      measured.map {
        [("IS", $0.inceptionScore), ("FID", $0.frechetDistance), ("confident", $0.confidentShare)]
      } ?? []
    progress.finish(metrics: [("d_loss", meanD), ("g_loss", meanG)] + scores)
    metrics.append([
      Double(epoch), meanD, meanG, measured?.inceptionScore ?? .nan,
      measured?.frechetDistance ?? .nan, measured?.confidentShare ?? .nan,
      measured?.classShares.min() ?? .nan, measured?.classShares.max() ?? .nan,
    ])
    try folder.write(metrics: metrics, to: "metrics.csv")
    let sheet = GANPictures.sheet(
      session.trainer.generator, noise: session.fixedNoise, labels: session.fixedLabels)
    session.sheets.append(sheet)
    try folder.write(picture: sheet, to: GANRun.sheetName(epoch), tag: "samples", step: epoch)
    if let measured {
      try context.report(
        budget: Double(epoch),
        [
          "inception_score": measured.inceptionScore, "frechet_distance": measured.frechetDistance,
          "confident_share": measured.confidentShare,
        ])
    }
    // A crash loses at most about half a minute (Ctrl-C saves at once).
    if !lastEpoch && Date().timeIntervalSince(lastSave) >= job.saveEverySeconds {
      try job.saveState(state, session: session, folder: folder)
      lastSave = Date()
    }
  }

  /// Saves everything `--resume` needs, marks the run interrupted and ends it. When the save
  /// fails (a full disk) and an earlier save is there — the state written every half minute, or
  /// by the interruption this run resumed from — the run is kept as of that save rather than
  /// lost: each file is written whole or not at all, and `--resume` takes the metrics of the
  /// epochs that state has done.
  private func saveInterrupted() throws -> Never {
    var summary = Summary(
      for: folder, status: .interrupted, extraVersions: Compute.versions(of: Compute.settings))
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    summary["model"] = config.model.rawValue
    let resume = "playground gan --resume \(folder.finalURL.path)"
    summary["resume"] = resume
    try EpochRunResume.stop(
      folder, stateFile: GANTrainingState.fileName,
      save: {
        try job.saveState(state, session: session, folder: folder)
        try job.saveNetworks(session.trainer, folder: folder)
      }, summary: summary, position: state, resume: resume)
  }
}

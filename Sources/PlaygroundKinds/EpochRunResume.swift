import Foundation
import PlaygroundConfig
import PlaygroundFiles
import PlaygroundImage
import PlaygroundRuns

/// What the kinds that stop on Ctrl-C and continue with `--resume` at a step of an epoch (the
/// GAN, flow matching) share: finding an interrupted run's settings, reading back the epochs it
/// has done, and saving and ending a run when it is interrupted.
enum EpochRunResume {
  /// The settings of the run folder at `directory` (its staging folder recovered first).
  /// - Throws: ``RunError`` when it is no run folder.
  static func config<Config: ConfigFile>(of directory: URL, defaults: Config) throws -> Config {
    RunFolder.recoverStaging(of: directory)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder),
      isFolder.boolValue
    else { throw RunError("--resume \(directory.path): no such run folder") }
    let configURL = directory.appendingPathComponent("config.yaml")
    guard FileManager.default.fileExists(atPath: configURL.path) else {
      throw RunError("--resume \(directory.path) is not a run folder (it has no config.yaml)")
    }
    return try Config.read(configURL, defaults: defaults)
  }

  /// The first `epochs` rows of the run's `metrics.csv`, appended to `metrics` (a new log with
  /// the kind's columns), and the sample sheet of each of those epochs.
  /// - Throws: ``RunError`` when the table has fewer rows than the training state's epochs.
  static func completedEpochs(
    of directory: URL, epochs: Int, metrics: MetricsLog, sheetName: (Int) -> String
  ) throws -> (metrics: MetricsLog, sheets: [Image]) {
    let text =
      (try? UserFile.text(
        directory.appendingPathComponent("metrics.csv"), what: "table",
        maximumBytes: RunFolder.maximumRecordBytes))
      ?? ""
    var metrics = metrics
    let rows = text.split(separator: "\n").dropFirst().prefix(epochs)
    guard rows.count == epochs else {
      throw RunError(
        "--resume \(directory.path): metrics.csv has \(rows.count) epochs, the training state \(epochs)"
      )
    }
    for row in rows { metrics.append(text: row.split(separator: ",").map(String.init)) }
    let sheets = try stride(from: 1, through: epochs, by: 1).map {
      try PNG.read(directory.appendingPathComponent(sheetName($0)))
    }
    return (metrics, sheets)
  }

  /// Ends an interrupted run: `save` writes everything `--resume` needs; the summary — the
  /// kind's `summary` with the run's `position` (epochs, steps, seconds) — marks it interrupted,
  /// and the folder is committed. When the save fails (a full disk) and an earlier save is at
  /// `stateFile`, the run is kept as of that save instead (a rename: no space needed), its
  /// summary without the position, which would be the failed save's. Throws
  /// ``RunInterrupted`` either way, saying how to continue and where it stopped, e.g. "after 13
  /// steps (epoch 2, batch 4)".
  static func stop(
    _ folder: RunFolder, stateFile: String, save: () throws -> Void, summary: Summary,
    position: some EpochPosition, resume: String
  ) throws -> Never {
    do {
      try save()
    } catch let failure {
      guard FileManager.default.fileExists(atPath: folder.url(for: stateFile).path)
      else { throw failure }
      var kept = summary
      kept["message"] = "the interruption's save failed; kept as of the run's last save"
      try? folder.write(kept.json(), to: "summary.json")
      try folder.commitAsItIs()
      let reason =
        (failure as? CocoaError)?.code == .fileWriteOutOfSpace
        ? "the disk is full" : "\(failure)".split(separator: "\n").first.map(String.init) ?? ""
      throw RunInterrupted(
        "interrupted, but saving failed (\(reason)): the run is kept as of its last save — free some space, then continue with: \(resume)",
        folder: folder.finalURL)
    }
    var full = summary
    full["epochs"] = position.completedEpochs
    full["steps"] = position.steps
    full["train_seconds"] = position.trainSeconds
    try folder.write(full.json(), to: "summary.json")
    try folder.commit()
    let stopped =
      "after \(position.steps) steps (epoch \(position.completedEpochs + 1), batch \(position.nextBatch))"
    throw RunInterrupted(
      "interrupted \(stopped); continue with: \(resume)", folder: folder.finalURL)
  }
}

/// Where a run that trains by epochs stands: what its training state records and an
/// interrupted run's summary and message report.
protocol EpochPosition {
  /// Epochs finished.
  var completedEpochs: Int { get }
  /// The batch of the next epoch to train next.
  var nextBatch: Int { get }
  /// Steps taken so far.
  var steps: Int { get }
  /// Seconds spent training, over every session of the run.
  var trainSeconds: Double { get }
}

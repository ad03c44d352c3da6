import Foundation
import PlaygroundConfig

/// The folder of one run, `outputs/<scenario>/<run-id>/`, built in a hidden staging folder and
/// moved into place only when the run finishes, so that a failed or interrupted run leaves
/// nothing half-written. `outputs/<scenario>/latest` then points to the newest run.
///
/// The run id sorts by time and names the seed: `20261129-041500-seed42`.
public final class RunFolder: @unchecked Sendable {
  public let scenario: String
  public let runID: String
  /// Where the run lands when it is committed.
  public let finalURL: URL
  /// Where its files are written meanwhile.
  public let stagingURL: URL
  public private(set) var isCommitted = false
  /// Whether this is an existing run taken up again (``init(reopening:presentation:)``).
  public let isReopened: Bool
  /// Its kind's curve and headline keys, written into its summary.
  public let presentation: RunPresentation
  /// The registry's name of its kind (``RunJob/kind``), written into its summary so that readers
  /// need not guess it from the files; `nil` for folders of no kind (tests).
  public let kind: String?
  /// Whether the run writes TensorBoard's event file, and its HParams session.
  public let tensorBoard: TensorBoardLogging
  /// The event file once the run has begun (``perform(config:_:)``).
  var eventsIfStarted: RunEvents?

  /// Creates the staging folder.
  /// - Throws: ``RunError`` when the output folder cannot be created.
  public init(
    outputDirectory: URL, scenario: String, seed: UInt64, presentation: RunPresentation,
    kind: String? = nil, date: Date = Date(), tensorBoard: TensorBoardLogging = .off
  ) throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let scenarioURL = outputDirectory.appendingPathComponent(scenario)
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: scenarioURL, withIntermediateDirectories: true)
    } catch {
      throw RunError(
        "cannot create \(scenarioURL.path): check that --output-dir is a writable folder")
    }
    // mkdir fails if the folder exists, so runs started in the same second (a sweep's parallel
    // processes) each claim their own id.
    let stamp = "\(formatter.string(from: date))-seed\(seed)"
    var id = stamp
    var suffix = 2
    while manager.fileExists(atPath: scenarioURL.appendingPathComponent(id).path)
      || mkdir(scenarioURL.appendingPathComponent(".\(id).partial").path, 0o755) != 0
    {
      guard
        errno == EEXIST || manager.fileExists(atPath: scenarioURL.appendingPathComponent(id).path)
      else {
        throw RunError(
          "cannot create a run folder in \(scenarioURL.path): check that --output-dir is a writable folder"
        )
      }
      id = "\(stamp)-\(suffix)"
      suffix += 1
    }
    self.scenario = scenario
    self.presentation = presentation
    self.kind = kind
    self.tensorBoard = tensorBoard
    isReopened = false
    runID = id
    finalURL = scenarioURL.appendingPathComponent(id)
    stagingURL = scenarioURL.appendingPathComponent(".\(id).partial")
    RunFolder.register(self)
  }

  /// Puts back a run that a crash or a kill left in its staging folder while it was taken up
  /// again (`.<run-id>.partial` beside where it belongs), so that the command printed for it
  /// still finds it.
  /// - Returns: whether a run was recovered.
  @discardableResult
  public static func recoverStaging(of url: URL) -> Bool {
    let manager = FileManager.default
    let resolved = url.standardizedFileURL
    let staging = resolved.deletingLastPathComponent().appendingPathComponent(
      ".\(resolved.lastPathComponent).partial")
    guard !manager.fileExists(atPath: resolved.path),
      manager.fileExists(atPath: staging.appendingPathComponent("config.yaml").path)
    else { return false }
    return (try? manager.moveItem(at: staging, to: resolved)) != nil
  }

  /// Takes up the finished or interrupted run at `url` again (to resume it): it moves back into
  /// staging until committed; if the continuation fails, ``discard()`` puts it back as it was.
  /// - Throws: ``RunError`` when `url` is not a run folder (no `config.yaml`).
  public init(
    reopening url: URL, presentation: RunPresentation, kind: String? = nil,
    tensorBoard: TensorBoardLogging = .off
  ) throws {
    let manager = FileManager.default
    let resolved = url.resolvingSymlinksInPath().standardizedFileURL
    guard manager.fileExists(atPath: resolved.appendingPathComponent("config.yaml").path) else {
      throw RunError("\(url.path) is not a run folder (it has no config.yaml)")
    }
    scenario = resolved.deletingLastPathComponent().lastPathComponent
    runID = resolved.lastPathComponent
    finalURL = resolved
    stagingURL = resolved.deletingLastPathComponent().appendingPathComponent(".\(runID).partial")
    isReopened = true
    self.presentation = presentation
    self.kind = kind
    self.tensorBoard = tensorBoard
    do {
      try manager.moveItem(at: finalURL, to: stagingURL)
    } catch {
      throw RunError("cannot take up \(url.path) again: check that its folder is writable")
    }
    RunFolder.register(self)
  }

  /// Writes `config` to `config.yaml`, lets `body` fill the folder, and commits it; if anything
  /// fails on the way (or the run is interrupted) the folder is discarded, so nothing
  /// half-written stays. A body that commits by itself (an interrupted run saved for resuming)
  /// is not discarded. A run whose training diverged (``RunError/isDivergence``) is kept with
  /// status `diverged` and ends in ``RunDiverged``; one stopped by a pruner (``RunPruned``) is
  /// kept with status `pruned`.
  public func perform<T>(config: String, _ body: (RunFolder) throws -> T) throws -> T {
    do {
      try write(config, to: "config.yaml")
      try beginEvents(config: config)
      let result = try body(self)
      try commit()
      return result
    } catch let error as RunError where error.isDivergence {
      do {
        try keep(.diverged, message: error.description)
      } catch {
        discard()
        throw error
      }
      throw RunDiverged(
        "\(error.description) (the run is kept: \(finalURL.path))", folder: finalURL)
    } catch let pruned as RunPruned {
      do {
        try keep(.pruned, message: pruned.description)
      } catch {
        discard()
        throw error
      }
      throw RunPruned(pruned.description, folder: finalURL)
    } catch {
      discard()
      throw error
    }
  }

  /// Keeps a run that diverged or was pruned as it is (metrics up to there, its last
  /// checkpoint) with a summary saying so.
  private func keep(_ status: RunStatus, message: String) throws {
    var summary = Summary(for: self, status: status)
    summary["message"] = message
    try write(summary.json(), to: "summary.json")
    try commit()
  }

  /// The path of `name` inside the run (in staging until committed).
  public func url(for name: String) -> URL {
    (isCommitted ? finalURL : stagingURL).appendingPathComponent(name)
  }

  /// Writes `data` to `name` atomically (a temporary file, then a rename), creating subfolders
  /// — never the run folder itself: a folder that Ctrl-C removed meanwhile stays removed.
  public func write(_ data: Data, to name: String) throws {
    let url = url(for: name)
    var folder = isCommitted ? finalURL : stagingURL
    for component in name.split(separator: "/").dropLast() {
      folder.appendPathComponent(String(component))
      // Fails (ENOENT) when the run folder is gone; the write below then says so.
      _ = mkdir(folder.path, 0o755)
    }
    try data.write(to: url, options: .atomic)
  }

  /// Writes `text` as UTF-8 to `name` atomically.
  public func write(_ text: String, to name: String) throws {
    try write(Data(text.utf8), to: name)
  }

  /// Moves the finished run into place and points `latest` at it (not for a reopened run).
  /// Writes `report.html` first (see ``RunReport``) when the run has its `config.yaml`.
  public func commit() throws {
    try commit(bestEffort: false)
  }

  /// Commits the folder as it is even when its TensorBoard events or `report.html` cannot be
  /// written (a full disk): what a run saved before is worth more than those, which
  /// `inspect` and TensorBoard do without.
  public func commitAsItIs() throws {
    try commit(bestEffort: true)
  }

  private func commit(bestEffort: Bool) throws {
    guard !isCommitted else { return }
    let manager = FileManager.default
    do {
      try endEvents()
      if manager.fileExists(atPath: stagingURL.appendingPathComponent("config.yaml").path) {
        try RunReport.write(into: stagingURL)
      }
    } catch  where bestEffort {}
    try manager.moveItem(at: stagingURL, to: finalURL)
    isCommitted = true
    RunFolder.unregister(self)
    guard !isReopened else { return }
    // A new link renamed over the old one: atomic, so parallel runs cannot collide.
    let latest = finalURL.deletingLastPathComponent().appendingPathComponent("latest")
    let temporary = finalURL.deletingLastPathComponent().appendingPathComponent(
      ".latest-\(getpid())-\(runID)")
    try? manager.removeItem(at: temporary)
    try manager.createSymbolicLink(atPath: temporary.path, withDestinationPath: runID)
    guard rename(temporary.path, latest.path) == 0 else {
      try? manager.removeItem(at: temporary)
      throw RunError("cannot point \(latest.path) at the new run")
    }
  }

  /// Removes the staging folder of a run that failed (a reopened run goes back in place).
  public func discard() {
    guard !isCommitted else { return }
    eventsIfStarted?.close()
    if isReopened {
      try? FileManager.default.moveItem(at: stagingURL, to: finalURL)
    } else {
      // Renamed first (atomic), then removed: a write racing with Ctrl-C's discard finds no
      // folder instead of leaving one file in a folder that could not be removed.
      let trash = stagingURL.deletingLastPathComponent().appendingPathComponent(
        ".\(runID).discarded-\(getpid())")
      if rename(stagingURL.path, trash.path) == 0 {
        try? FileManager.default.removeItem(at: trash)
      } else {
        try? FileManager.default.removeItem(at: stagingURL)
      }
    }
    RunFolder.unregister(self)
  }

  // Runs in progress, so that an interrupt can discard them.
  nonisolated(unsafe) private static var active: [ObjectIdentifier: RunFolder] = [:]
  private static let lock = NSLock()

  /// The largest record of a run folder read back (64 MiB): its summary, tables, pictures and
  /// the state of a sweep or study have a few MiB at most; a larger one is not a run's.
  public static let maximumRecordBytes = 64 << 20

  private static func register(_ run: RunFolder) {
    lock.withLock { active[ObjectIdentifier(run)] = run }
  }

  private static func unregister(_ run: RunFolder) {
    lock.withLock { _ = active.removeValue(forKey: ObjectIdentifier(run)) }
  }

  /// Discards every run in progress (called when the user presses Ctrl-C).
  public static func discardAllInProgress() {
    let runs = lock.withLock { Array(active.values) }
    for run in runs { run.discard() }
  }
}

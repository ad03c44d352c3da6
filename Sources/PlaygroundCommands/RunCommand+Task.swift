import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios

/// One run of a scenario alone (`--job N`), by hand or as a task of its sweep (`--sweep-task`).
extension RunCommand {
  func runAlone(
    _ job: Int, of runs: [Scenario.Run], scenario: Scenario, file: URL, sources: DataSources
  ) throws {
    guard runs.indices.contains(job) else {
      throw RunError("--job \(job): \(file.lastPathComponent) has runs 0–\(runs.count - 1)")
    }
    let run = runs[job]
    var context = RunContext(
      scenario: scenario.name, outputDirectory: scenario.outputDirectory, sources: sources,
      quiet: quiet)
    context.tensorBoard = scenario.tensorBoard
    if runs.count > 1 {
      // One session of the sweep in TensorBoard's HParams dashboard.
      context.hparams = Dictionary(
        run.settings.map { ($0.key, $0.value) } + [("seed", String(run.seed))],
        uniquingKeysWith: { $1 })
    }
    let records = SweepRecords(scenario: scenario, runs: runs)
    guard sweepTask else {
      let folder = try run.job.run(in: context)
      // Re-run alone: the sweep's state and aggregates learn of it.
      if runs.count > 1 { try records.record(run, finishedIn: folder) }
      return
    }
    let task = SweepTask(records: records, run: run)
    context.onNewFolder = { task.noteStaging($0) }
    Self.stopWithTheSweep()
    InterruptHandler.beforeExit = { try? task.report(.interrupted, message: "stopped by a signal") }
    do {
      let folder: URL
      if let saved = try task.resumableFolder(),
        let resumable = type(of: run.job) as? any ResumableRunJob.Type
      {
        // An interrupted run of the sweep continues where it stopped.
        folder = try resumable.resume(saved, in: context)
      } else {
        folder = try run.job.run(in: context)
      }
      try task.report(.finished, folder: folder)
    } catch let diverged as RunDiverged {
      try? task.report(.diverged, folder: diverged.folder, message: diverged.description)
      throw diverged
    } catch let interrupted as RunInterrupted {
      try? task.report(.interrupted, folder: interrupted.folder, message: interrupted.description)
      throw interrupted
    } catch {
      try? task.report(.failed, message: Playground.oneLine(error))
      throw error
    }
  }

  /// A local sweep's task ends like the sweep (SIGTERM: saved if it can be, removed otherwise)
  /// when the sweep's process is gone, instead of finishing unrecorded. (A Slurm task's parent
  /// is Slurm's step daemon, which outlives it.)
  static func stopWithTheSweep() {
    let parent = getppid()
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + 1, repeating: 1)
    timer.setEventHandler {
      if getppid() != parent { kill(getpid(), SIGTERM) }
    }
    timer.resume()
    watcher = timer
  }

  nonisolated(unsafe) static var watcher: DispatchSourceTimer?
}

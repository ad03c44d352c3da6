import Foundation
import PlaygroundRuns
import Testing
import TestSupport

@testable import PlaygroundScenarios

/// The Slurm executor's parts that need no cluster: the script, the request's checks, and how
/// a task's report (or its absence) becomes the sweep's record.
@Suite(.onOneBackend) struct SlurmScriptTests {
  static func script(_ indices: [Int], request: SlurmRequest = SlurmRequest()) -> SlurmScript {
    SlurmScript(
      scenarioName: "seeds", runIndices: indices, runCount: 12, request: request,
      command: ["/opt/play ground/playground", "run", "/data/it's.yaml", "--set", "x=1"],
      logs: URL(fileURLWithPath: "/shared/outputs/seeds/sweep/logs"),
      workingDirectory: URL(fileURLWithPath: "/home/me"))
  }

  @Test func theArrayListsRangesOfTheRunsLeftAndTheLimit() {
    #expect(Self.script(Array(0..<12)).arraySpecification == "0-11")
    #expect(Self.script([7, 0, 1, 2, 5, 9, 10]).arraySpecification == "0-2,5,7,9-10")
    #expect(
      Self.script([3], request: SlurmRequest(maxConcurrent: 4)).arraySpecification == "3%4")
  }

  @Test func theScriptReadsLikeOneAPersonWrites() {
    let request = SlurmRequest(
      partition: "cpu", timeLimit: "1:30:00", cpusPerTask: 2, maxConcurrent: 3,
      extraArguments: ["--mem=4G", "--account=ml"])
    let text = Self.script([0, 1, 2, 4], request: request).text
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.first == "#!/bin/bash")
    for expected in [
      "#SBATCH --job-name=playground-seeds", "#SBATCH --array=0-2,4%3",
      "#SBATCH --cpus-per-task=2", "#SBATCH --partition=cpu", "#SBATCH --time=1:30:00",
      "#SBATCH --chdir=/home/me", "#SBATCH --output=/shared/outputs/seeds/sweep/logs/job-%3a.log",
      "#SBATCH --mem=4G", "#SBATCH --account=ml",
      "export PLAYGROUND_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"",
    ] {
      #expect(lines.contains(expected), "\(expected) missing from:\n\(text)")
    }
    #expect(text.contains("4 of its 12 runs (the others are done)"))
    // Paths with spaces and quotes survive the shell; the task id picks the run.
    #expect(
      text.contains(
        "exec '/opt/play ground/playground' run '/data/it'\\''s.yaml' --job \"$SLURM_ARRAY_TASK_ID\" \\\n  --set x=1"
      ), "\(text)")
    // Every #SBATCH line comes before the first command, as sbatch requires.
    let firstCommand = lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") }!
    #expect(lines.lastIndex { $0.hasPrefix("#SBATCH") }! < firstCommand)
  }

  @Test func aPartitionAndTimeLimitAreLeftToTheClusterUnlessGiven() {
    let text = Self.script([0]).text
    #expect(!text.contains("--partition") && !text.contains("--time"))
    #expect(text.contains("#SBATCH --array=0\n"))
  }

  @Test func aBadRequestIsRefusedWithEveryProblem() {
    #expect(SlurmRequest().problems().isEmpty)
    for time in ["30", "1:30", "1:30:00", "2-00", "2-00:00", "2-00:00:00", "UNLIMITED"] {
      #expect(SlurmRequest.isTimeLimit(time), "\(time)")
    }
    for time in ["", "1h", "1:2:3:4", "-5", "1-2-3", "0", "1::2", "１"] {
      #expect(!SlurmRequest.isTimeLimit(time), "\(time)")
    }
    let problems = SlurmRequest(
      partition: "a b", timeLimit: "1h", cpusPerTask: 0, maxConcurrent: 0,
      extraArguments: ["mem=4G", "--x\n--y"]
    ).problems()
    #expect(problems.count == 6, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("--time '1h' is not a Slurm time") })
    #expect(problems.contains { $0.contains("--sbatch-arg 'mem=4G'") })
  }

  @Test func shellQuotingLeavesPlainWordsAlone() {
    #expect(Shell.quote("/usr/bin/playground") == "/usr/bin/playground")
    #expect(Shell.quote("learning_rate=0.001") == "learning_rate=0.001")
    #expect(Shell.quote("") == "''")
    #expect(Shell.quote("a b") == "'a b'")
    #expect(Shell.quote("$HOME") == "'$HOME'")
  }
}

/// What the sweep records of a task from its report, its exit and its log.
@Suite(.onOneBackend) struct SweepTaskTests {
  final class Folder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("task-\(UUID())")
    deinit { try? FileManager.default.removeItem(at: url) }
  }

  static func task(in folder: Folder) throws -> (SweepTask, String) {
    var scenario = try ScenarioFile.parse(
      "kind: rl\nenvironment: frozenlake4x4\nagent: q-learning\nseeds: [0, 1]\n",
      source: folder.url.appendingPathComponent("s.yaml"))
    scenario.outputDirectory = folder.url
    let runs = try scenario.runs()
    let task = SweepTask(records: SweepRecords(scenario: scenario, runs: runs), run: runs[1])
    return (task, try SweepRecords.configHash(runs[1]))
  }

  @Test func aReportSaysWhatBecameOfTheRun() throws {
    let folder = Folder()
    let (task, config) = try Self.task(in: folder)
    try task.report(.finished, folder: URL(fileURLWithPath: "/x/20261130-120000-seed1"))
    var entry = task.outcome(config: config, label: "seed=1", exitStatus: 0)
    #expect(entry.status == .finished && entry.run == "20261130-120000-seed1")
    // Slurm's tasks have no exit status to read: the report alone decides.
    #expect(task.outcome(config: config, label: "seed=1", exitStatus: nil) == entry)
    // A report of other settings (the scenario changed since) is not taken.
    entry = task.outcome(config: String(repeating: "0", count: 64), label: "", exitStatus: nil)
    #expect(entry.status == .failed)
    try task.report(.interrupted, folder: URL(fileURLWithPath: "/x/r"), message: "saved")
    entry = task.outcome(config: config, label: "seed=1", exitStatus: 130)
    #expect(entry.status == .interrupted && entry.run == "r" && entry.message == "saved")
  }

  /// A task killed while it wrote a new run (SIGKILL, out of memory): its staging folder goes,
  /// nothing else does.
  @Test func aKilledTasksStagingFolderIsRemoved() throws {
    let folder = Folder()
    let (task, config) = try Self.task(in: folder)
    let staging = task.records.folder.appendingPathComponent(".20261201-000000-seed1.partial")
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    try Data("epoch,loss\n".utf8).write(to: staging.appendingPathComponent("metrics.csv"))
    task.noteStaging(staging)
    let entry = task.outcome(config: config, label: "seed=1", exitStatus: 9)
    #expect(entry.status == .failed)
    #expect(!FileManager.default.fileExists(atPath: staging.path))
    // A note that names a folder elsewhere is not followed.
    let elsewhere = folder.url.appendingPathComponent(".other.partial")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    task.noteStaging(elsewhere)
    _ = task.outcome(config: config, label: "seed=1", exitStatus: 9)
    #expect(FileManager.default.fileExists(atPath: elsewhere.path))
  }

  @Test func noReportIsAFailureWithTheLogsLastLineOrAnInterruptionOnCtrlC() throws {
    let folder = Folder()
    let (task, config) = try Self.task(in: folder)
    try FileManager.default.createDirectory(
      at: task.logURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "episode 10\nKilled\n\n".write(to: task.logURL, atomically: true, encoding: .utf8)
    var entry = task.outcome(config: config, label: "seed=1", exitStatus: nil)
    #expect(entry.status == .failed)
    #expect(entry.message == "Killed (no report: killed, out of memory or out of time?)")
    entry = task.outcome(config: config, label: "seed=1", exitStatus: 137)
    #expect(entry.message == "Killed (exit status 137)")
    #expect(task.outcome(config: config, label: "", exitStatus: 130).status == .interrupted)
    // A run that reported success but then exited with an error did not finish.
    try task.report(.finished, folder: URL(fileURLWithPath: "/x/r"))
    #expect(task.outcome(config: config, label: "", exitStatus: 1).status == .failed)
    task.clearReport()
    #expect(task.readReport() == nil)
  }
}

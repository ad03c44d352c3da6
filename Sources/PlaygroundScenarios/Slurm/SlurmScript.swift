import Foundation

/// What a sweep asks of Slurm for each of its array tasks, mapped to sbatch's own options.
public struct SlurmRequest: Equatable, Sendable {
  /// `--partition`; the cluster's default when `nil`.
  public var partition: String?
  /// `--time`: each task's time limit in one of sbatch's forms (`30`, `1:30:00`, `2-00:00:00`);
  /// the partition's default when `nil`.
  public var timeLimit: String?
  /// `--cpus-per-task`, which also sets each run's OpenBLAS threads.
  public var cpusPerTask: Int
  /// The `%K` of `--array`: tasks at a time; as many as Slurm allows when `nil`.
  public var maxConcurrent: Int?
  /// Further sbatch options, each one `#SBATCH` line (e.g. `--mem=4G`, `--account=ml`).
  public var extraArguments: [String]

  public init(
    partition: String? = nil, timeLimit: String? = nil, cpusPerTask: Int = 1,
    maxConcurrent: Int? = nil, extraArguments: [String] = []
  ) {
    self.partition = partition
    self.timeLimit = timeLimit
    self.cpusPerTask = cpusPerTask
    self.maxConcurrent = maxConcurrent
    self.extraArguments = extraArguments
  }

  /// Every problem with the request, one line each, before anything is written or submitted.
  public func problems() -> [String] {
    var problems: [String] = []
    if cpusPerTask < 1 { problems.append("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
    if let maxConcurrent, maxConcurrent < 1 {
      problems.append("--max-concurrent must be at least 1, got \(maxConcurrent)")
    }
    if let timeLimit, !Self.isTimeLimit(timeLimit) {
      problems.append(
        "--time '\(timeLimit)' is not a Slurm time: use minutes (30), [HH:]MM:SS (1:30:00) or D-HH[:MM[:SS]] (2-00:00:00)"
      )
    }
    if let partition, partition.isEmpty || partition.contains(where: \.isWhitespace) {
      problems.append("--partition '\(partition)' is not a partition name")
    }
    for argument in extraArguments
    where !argument.hasPrefix("-") || argument.contains(where: \.isNewline) {
      problems.append(
        "--sbatch-arg '\(argument)' is not one sbatch option: write it as --sbatch-arg=--mem=4G")
    }
    return problems
  }

  /// Whether `text` is one of sbatch's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or
  /// UNLIMITED.
  static func isTimeLimit(_ text: String) -> Bool {
    if ["UNLIMITED", "INFINITE"].contains(text) { return true }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { return false }
    let clock = parts.last!.split(separator: ":", omittingEmptySubsequences: false)
    let numbers = (parts.count == 2 ? [parts[0]] : []) + clock
    guard
      numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
    else { return false }
    return clock.count <= 3 && !(text == "0")
  }
}

/// `<name>/sweep/slurm.sh`: one `sbatch --array` script whose task *i* runs run *i* of the
/// scenario with the same command the local executor uses — written to read like one a person
/// would write, so that it can be submitted by hand (`sbatch slurm.sh`).
public struct SlurmScript {
  public var scenarioName: String
  /// The runs to submit (their indices in the scenario), and how many the scenario has.
  public var runIndices: [Int]
  public var runCount: Int
  public var request: SlurmRequest
  /// The program, `run`, the scenario file and further arguments for one run; `--job
  /// "$SLURM_ARRAY_TASK_ID"` follows the file.
  public var command: [String]
  /// Where each task's output goes (`job-NNN.log`, as the local executor names it).
  public var logs: URL
  /// The folder tasks start in.
  public var workingDirectory: URL
  /// The option that gives a task its index (`--job`; a study's trials: `--trial`).
  public var taskOption = "--job"
  /// What the runs are called in the script's comments and log names (`job`; `trial`).
  public var taskName = "job"
  /// The script's first comment lines; `nil`: those of a sweep.
  public var header: [String]?

  public init(
    scenarioName: String, runIndices: [Int], runCount: Int, request: SlurmRequest,
    command: [String], logs: URL, workingDirectory: URL
  ) {
    self.scenarioName = scenarioName
    self.runIndices = runIndices
    self.runCount = runCount
    self.request = request
    self.command = command
    self.logs = logs
    self.workingDirectory = workingDirectory
  }

  /// `0-3,5,7-9%2`: the indices as sbatch's `--array` ranges.
  public var arraySpecification: String {
    var ranges: [(first: Int, last: Int)] = []
    for index in runIndices.sorted() {
      if let range = ranges.last, index == range.last + 1 {
        ranges[ranges.count - 1].last = index
      } else {
        ranges.append((index, index))
      }
    }
    let limit = request.maxConcurrent.map { "%\($0)" } ?? ""
    return ranges.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }
      .joined(separator: ",") + limit
  }
  /// The script's text.
  public var text: String {
    let runs =
      runIndices.count == runCount
      ? "its \(runCount) runs" : "\(runIndices.count) of its \(runCount) runs (the others are done)"
    var lines =
      ["#!/bin/bash"]
      + (header?.map { "# " + $0 } ?? [
        "# The sweep \(scenarioName) as a Slurm job array: \(runs), one array task each.",
        "# Written by `playground run --executor slurm`, which submits it and collects the results;",
        "# to submit it yourself: sbatch \(Shell.quote(logs.deletingLastPathComponent().appendingPathComponent("slurm.sh").path))",
      ]) + [
        "#",
        "#SBATCH --job-name=playground-\(scenarioName)",
        "#SBATCH --array=\(arraySpecification)",
        "#SBATCH --cpus-per-task=\(request.cpusPerTask)",
        "#SBATCH --ntasks=1",
      ]
    if let partition = request.partition { lines.append("#SBATCH --partition=\(partition)") }
    if let timeLimit = request.timeLimit { lines.append("#SBATCH --time=\(timeLimit)") }
    lines += [
      "#SBATCH --chdir=\(workingDirectory.path)",
      "# One log per run, named as the local executor names them (%3a: the task id, 3 digits).",
      "#SBATCH --output=\(logs.path)/\(taskName)-%3a.log",
    ]
    lines += request.extraArguments.map { "#SBATCH \($0)" }
    lines += [
      "",
      "# Each run's matrix products and convolutions use the CPUs Slurm gave the task, no more.",
      "export PLAYGROUND_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"",
      "",
    ]
    lines +=
      taskName == "trial"
      ? [
        "# The trial. On cancellation or at the time limit Slurm sends SIGTERM: the trial records",
        "# itself interrupted, and the next `playground tune` runs it again with its settings.",
      ]
      : [
        "# Run i of the scenario. On cancellation or at the time limit Slurm sends SIGTERM: the run",
        "# saves what it can (a GAN its training state) and the next submission continues it.",
      ]
    lines += [
      "exec " + command.prefix(3).map(Shell.quote).joined(separator: " ")
        + " \(taskOption) \"$SLURM_ARRAY_TASK_ID\" \\",
      "  " + command.dropFirst(3).map(Shell.quote).joined(separator: " "),
      "",
    ]
    return lines.joined(separator: "\n")
  }
}

/// Quoting for the POSIX shell.
enum Shell {
  /// `text` as one shell word: as is when it is plainly safe, otherwise in single quotes.
  static func quote(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")
    if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

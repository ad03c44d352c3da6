import Foundation
import PlaygroundConfig

/// The Slurm commands a sweep or a study uses — `sbatch`, `squeue` and `scancel` — run as a person would run
/// them, with the environment's `SLURM_CONF`. There is no accounting database on every cluster
/// (nor on `scripts/slurm-local`'s), so `sacct` is not used: a task's end is learnt from the
/// queue and from its own report.
public struct SlurmClient: Sendable {
  /// The longest a command may take before the controller is taken for unreachable.
  public var timeout: TimeInterval = 120

  public init() {}

  /// Where an array task stands in the queue.
  public enum QueueState: Equatable, Sendable {
    case queued
    case running
  }

  /// Submits `script` and returns the array's job id.
  /// - Throws: ``RunError`` naming the problem (no `sbatch`, controller unreachable, a refused
  ///   option) in sbatch's own words, with `--executor local` as the way out.
  public func submit(_ script: URL) throws -> String {
    let output = try run("sbatch", ["--parsable", script.path]).checked()
    // `--parsable` prints `jobid` or `jobid;cluster`.
    guard let id = output.split(whereSeparator: \.isNewline).last?.split(separator: ";").first,
      !id.isEmpty, id.allSatisfy(\.isNumber)
    else { throw RunError("sbatch did not print a job id (it printed '\(output)')") }
    return String(id)
  }

  /// The array tasks of `job` still in the queue, by task id; empty once every task has left it.
  public func queuedTasks(of job: String) throws -> [Int: QueueState] {
    let result = try run("squeue", ["--noheader", "--array", "--jobs", job, "--format", "%K %t"])
    // A job that ended long enough ago is forgotten by the controller.
    if result.status != 0, result.errors.contains("Invalid job id") { return [:] }
    var tasks: [Int: QueueState] = [:]
    for line in try result.checked().split(whereSeparator: \.isNewline) {
      let fields = line.split(separator: " ")
      guard fields.count == 2, let id = Int(fields[0]) else { continue }
      tasks[id] = fields[1] == "PD" ? .queued : .running
    }
    return tasks
  }

  /// The states in which the controller last saw the array tasks of `job` that left the queue
  /// (`CANCELLED`, `FAILED`, `NODE_FAIL`, …), by task id, from `scontrol show job` — which
  /// remembers a job for a few minutes after its end (`MinJobAge`); empty when it no longer
  /// does or cannot be asked.
  public func endStates(of job: String) -> [Int: String] {
    guard let result = try? run("scontrol", ["--oneliner", "show", "job", job]), result.status == 0
    else { return [:] }
    var states: [Int: String] = [:]
    for line in result.output.split(whereSeparator: \.isNewline) {
      let fields = Dictionary(
        line.split(separator: " ").compactMap { field -> (String, String)? in
          let parts = field.split(separator: "=", maxSplits: 1)
          return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { first, _ in first })
      guard let task = fields["ArrayTaskId"].flatMap({ Int($0) }), let state = fields["JobState"]
      else { continue }
      states[task] = state
    }
    return states
  }

  /// Cancels `job` (its tasks get SIGTERM, then SIGKILL after the cluster's KillWait).
  public func cancel(_ job: String) throws {
    _ = try run("scancel", [job]).checked()
  }

  /// Whether Slurm's commands are on `PATH`; the problem in one line when not.
  public func checkInstalled() throws {
    _ = try executable("sbatch")
  }

  /// What a command did.
  struct Result {
    let command: String
    let status: Int32
    let output: String
    let errors: String

    /// The output of a command that succeeded.
    /// - Throws: ``RunError`` with the command's last line of complaint.
    func checked() throws -> String {
      guard status == 0 else {
        let said =
          (errors + output).split(whereSeparator: \.isNewline).last.map(String.init)
          ?? "exit status \(status)"
        throw RunError(
          "\(command) failed: \(said) — is the Slurm controller up (scontrol ping)? Or run here with --executor local"
        )
      }
      return output
    }
  }

  func executable(_ command: String) throws -> URL {
    guard let executable = Self.find(command) else {
      throw RunError(
        "\(command) not found: Slurm's commands are not on this machine's PATH — run on the cluster's login node, or use --executor local"
      )
    }
    return executable
  }

  /// Runs `command` with `arguments` to its end (or ``timeout``).
  func run(_ command: String, _ arguments: [String]) throws -> Result {
    try run(executable(command), named: command, arguments)
  }

  /// Runs the program at `executable` to its end, or for at most ``timeout``: then SIGTERM to
  /// it and whatever it started (its process group), and SIGKILL 5 s later, so that nothing it
  /// ran outlives the call; what it printed is read for at most 2 s more.
  func run(_ executable: URL, named command: String, _ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    // Read while it runs, so that a full pipe never blocks it.
    let collected = Collected()
    let group = DispatchGroup()
    for (pipe, isError) in [(output, false), (errors, true)] {
      group.enter()
      DispatchQueue.global().async {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        collected.add(data, isError: isError)
        group.leave()
      }
    }
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning {
      // The command leads its own process group: the signals reach what it started too.
      let processGroup = -process.processIdentifier
      kill(processGroup, SIGTERM)
      let grace = Date().addingTimeInterval(5)
      while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.02) }
      kill(processGroup, SIGKILL)
      process.waitUntilExit()
      _ = group.wait(timeout: .now() + 2)
      throw RunError(
        "\(command) did not answer within \(Int(timeout)) s: is the Slurm controller reachable (scontrol ping)? Or run here with --executor local"
      )
    }
    process.waitUntilExit()
    group.wait()
    let (standardOutput, standardError) = collected.texts
    return Result(
      command: command, status: process.terminationStatus,
      output: standardOutput.trimmingCharacters(in: .whitespacesAndNewlines),
      errors: standardError)
  }

  /// `command`'s path on `PATH`.
  static func find(_ command: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(command)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// What a command printed, gathered from two readers.
  private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()
    func add(_ data: Data, isError: Bool) {
      lock.withLock { if isError { errors.append(data) } else { output.append(data) } }
    }
    var texts: (String, String) {
      lock.withLock {
        (String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
      }
    }
  }
}

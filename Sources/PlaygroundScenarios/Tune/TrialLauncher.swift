import Foundation
import PlaygroundConfig

/// Where a study's trials run: it starts a trial's process and tells when one has ended.
public protocol TrialLauncher: AnyObject {
  /// Starts trial `number` (its record is written).
  func start(_ number: Int) throws
  /// The trials whose processes have ended since the last call, with their exit status when
  /// the launcher knows it.
  func ended() throws -> [(number: Int, exitStatus: Int32?)]
  /// The trials still running.
  var running: [Int] { get }
  /// Stops every running trial (each records itself interrupted) and waits for them.
  func stopAll() throws -> [(number: Int, exitStatus: Int32?)]
  /// Seconds between two looks at the running trials.
  var pollInterval: TimeInterval { get }
}

/// Trials as processes on this machine, their output in `tune/logs/trial-NNN.log`.
public final class LocalTrialLauncher: TrialLauncher {
  let records: StudyRecords
  /// The program and arguments that run one trial (`--trial N` follows).
  let command: (Int) -> (URL, [String])
  let environment: [String: String]
  private var processes: [(number: Int, process: Process)] = []
  public let pollInterval: TimeInterval = 0.05

  public init(
    records: StudyRecords, environment: [String: String] = [:],
    command: @escaping (Int) -> (URL, [String])
  ) {
    self.records = records
    self.environment = environment
    self.command = command
  }

  public var running: [Int] { processes.map(\.number) }

  public func start(_ number: Int) throws {
    let (executable, arguments) = command(number)
    let process = try LoggedProcess.start(
      executable, arguments, environment: environment, log: records.logURL(number))
    processes.append((number, process))
  }

  public func ended() throws -> [(number: Int, exitStatus: Int32?)] {
    let done = processes.filter { !$0.process.isRunning }
    processes.removeAll { !$0.process.isRunning }
    return done.map { item in
      item.process.waitUntilExit()
      return (item.number, item.process.terminationStatus)
    }
  }

  /// A Ctrl-C at the terminal reached the trials too; passes it on to any that did not stop
  /// within 2 s.
  public func stopAll() throws -> [(number: Int, exitStatus: Int32?)] {
    LoggedProcess.interrupt(processes.map(\.process))
    let all = processes
    processes.removeAll()
    return all.map { item in
      item.process.waitUntilExit()
      return (item.number, item.process.terminationStatus)
    }
  }
}

/// Trials as Slurm jobs, one single-task array each (`tune/slurm/trial-NNN.sh`, task id = the
/// trial's number), followed in the queue; their output in `tune/logs/trial-NNN.log`.
public final class SlurmTrialLauncher: TrialLauncher {
  let records: StudyRecords
  let request: SlurmRequest
  /// The program and arguments that run one trial (`--trial N` follows).
  let command: [String]
  let client = SlurmClient()
  private var jobs: [(number: Int, job: String)] = []
  public var pollInterval: TimeInterval = 2

  /// - Parameter request: what each trial's job asks for (the study itself keeps its trials
  ///   at a time, so the request's `maxConcurrent` is not used).
  public init(records: StudyRecords, request: SlurmRequest, command: [String]) {
    self.records = records
    var request = request
    request.maxConcurrent = nil
    self.request = request
    self.command = command
  }

  public var running: [Int] { jobs.map(\.number) }

  public func start(_ number: Int) throws {
    let folder = records.url.appendingPathComponent("slurm")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var script = SlurmScript(
      scenarioName: records.scenario.name, runIndices: [number], runCount: 1, request: request,
      command: command, logs: records.logsFolder,
      workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    script.taskOption = "--trial"
    script.taskName = "trial"
    script.header = [
      "Trial \(number) of the study \(records.scenario.name), written and submitted by",
      "`playground tune --executor slurm`, which samples each trial's settings from the ones before.",
    ]
    let url = folder.appendingPathComponent(String(format: "trial-%03d.sh", number))
    try Data(script.text.utf8).write(to: url, options: .atomic)
    jobs.append((number, try client.submit(url)))
  }

  public func ended() throws -> [(number: Int, exitStatus: Int32?)] {
    var done: [(number: Int, exitStatus: Int32?)] = []
    for item in jobs where try client.queuedTasks(of: item.job).isEmpty {
      done.append((item.number, nil))
    }
    jobs.removeAll { item in done.contains { $0.number == item.number } }
    return done
  }

  /// Cancels the running trials' jobs (SIGTERM: each records itself interrupted) and waits
  /// until they have left the queue.
  public func stopAll() throws -> [(number: Int, exitStatus: Int32?)] {
    for item in jobs { try? client.cancel(item.job) }
    let deadline = Date().addingTimeInterval(120)
    var stopped: [(number: Int, exitStatus: Int32?)] = []
    while !jobs.isEmpty, Date() < deadline {
      stopped += try ended()
      Thread.sleep(forTimeInterval: 0.5)
    }
    stopped += jobs.map { ($0.number, nil) }
    jobs.removeAll()
    return stopped
  }
}

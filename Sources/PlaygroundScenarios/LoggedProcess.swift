import Foundation

/// A child process of a sweep or a study, its output in a log file: how both executors start the
/// runs and trials they run here, stop them on Ctrl-C, and read what a run ended with.
enum LoggedProcess {
  /// Starts `executable` with `arguments`, this process's environment plus `environment`, its
  /// output and errors in `log` (made empty first), no input.
  static func start(
    _ executable: URL, _ arguments: [String], environment: [String: String], log: URL
  ) throws -> Process {
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try handle.close()
    return process
  }

  /// After Ctrl-C: a Ctrl-C at the terminal reached the children too; passes it on to any that
  /// did not stop within 2 s.
  static func interrupt(_ processes: [Process]) {
    let grace = Date().addingTimeInterval(2)
    while Date() < grace, processes.contains(where: \.isRunning) {
      Thread.sleep(forTimeInterval: 0.05)
    }
    for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
  }

  /// The last non-empty line of `log`: what the process ended with.
  static func lastLine(of log: URL) -> String? {
    ((try? String(contentsOf: log, encoding: .utf8)) ?? "")
      .split(whereSeparator: \.isNewline).map(String.init)
      .last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
  }
}

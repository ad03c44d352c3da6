import Foundation

/// Runs the built `playground` binary, as a user would.
struct BinaryRunner {
  struct Outcome {
    let status: Int32
    let standardOutput: String
    let standardError: String
  }

  /// The binary next to the test bundle (`.build/<configuration>/playground`), or
  /// `PLAYGROUND_BINARY`.
  static let binary: URL = {
    if let path = ProcessInfo.processInfo.environment["PLAYGROUND_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    // On Linux the test runner's bundle is the build folder; elsewhere it is inside it.
    let bundle = Bundle.main.bundleURL
    let candidates = [
      bundle.appendingPathComponent("playground"),
      bundle.deletingLastPathComponent().appendingPathComponent("playground"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates[0]
  }()

  /// The example program beside the binary (`Tests/ExampleKind`): the commands with one more
  /// kind of run, registered from outside the playground's sources.
  static var exampleKindBinary: URL {
    binary.deletingLastPathComponent().appendingPathComponent("ExampleKind")
  }

  /// Starts the binary without waiting (to signal it while it runs); its standard output is
  /// discarded, its standard error readable from the returned pipe.
  static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (
    Process, Pipe
  ) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = merged(environment)
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, errors)
  }

  /// This process's environment with `environment` added (an empty value removes a variable).
  ///
  /// `PLAYGROUND_THREADS` is every core unless a test or the caller sets it: left to itself, a run
  /// takes only the cores that other programs leave free — here the tests running beside it — and
  /// runs compared byte for byte must agree on their thread count.
  static func merged(_ environment: [String: String]) -> [String: String] {
    var merged = ProcessInfo.processInfo.environment
    if merged["PLAYGROUND_THREADS"] == nil {
      merged["PLAYGROUND_THREADS"] = String(ProcessInfo.processInfo.activeProcessorCount)
    }
    for (key, value) in environment { merged[key] = value.isEmpty ? nil : value }
    return merged
  }

  /// Runs the binary (or `executable`); `environment` adds to (or, with an empty value, removes
  /// from) this process's environment.
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    executable: URL = binary
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = merged(environment)
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read before waiting so that a full pipe cannot stall the child.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }
}

/// Waits until `condition` holds (polling every 20 ms), at most `timeout` seconds.
/// - Returns: whether it held in time.
@discardableResult
func waitUntil(timeout: TimeInterval = 60, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if condition() { return true }
    Thread.sleep(forTimeInterval: 0.02)
  }
  return condition()
}

/// The staging folders (`.<run-id>.partial`) of runs in progress under `scenario`.
func runsInProgress(_ scenario: URL) -> [URL] {
  ((try? FileManager.default.contentsOfDirectory(atPath: scenario.path)) ?? [])
    .filter { $0.hasPrefix(".") && $0.hasSuffix(".partial") }
    .map { scenario.appendingPathComponent($0) }
}

/// Waits for the clock to pass into the next second, so that a new run's id (which names the
/// second it started) sorts after the last one's.
func waitForTheNextSecond() {
  let now = Int(Date().timeIntervalSince1970)
  waitUntil(timeout: 2) { Int(Date().timeIntervalSince1970) > now }
}

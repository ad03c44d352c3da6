import Foundation

/// A script of the project's `scripts/` run from a test, as a developer runs it: its standard
/// output and error gathered, its exit status.
enum ProjectScript {
  struct Outcome {
    var status: Int32
    var output: String
  }

  /// Runs `scripts/<name>` with `arguments`.
  static func run(_ name: String, _ arguments: [String], environment: [String: String]? = nil)
    throws -> Outcome
  {
    let process = Process()
    process.executableURL = ScenarioCommandTests.root.appendingPathComponent("scripts/\(name)")
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus, output: text)
  }

  /// Runs a checker that exits 2 when what it needs (Python, a package from PyPI) cannot be
  /// had: `nil` then, and a note that `what` was skipped.
  static func check(
    _ name: String, _ arguments: [String], environment: [String: String]? = nil,
    skipping what: String
  ) throws -> Outcome? {
    let outcome = try run(name, arguments, environment: environment)
    guard outcome.status == 2 else { return outcome }
    print(
      "skipped: \(what) needs Python and PyPI (\(outcome.output.split(separator: "\n").last ?? ""))"
    )
    return nil
  }
}

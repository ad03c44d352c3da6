import Foundation
import TestSupport
import Testing

@testable import PlaygroundScenarios

/// A Slurm command that never answers — or ignores SIGTERM, or leaves a child holding its
/// output — ends the call within its time limit plus the grace, and is not left running.
@Suite(.onOneBackend) struct SlurmClientTests {
  @Test(arguments: [
    "sleep 600",  // never answers
    "trap '' TERM; while true; do sleep 0.1; done",  // ignores SIGTERM
    "sleep 600 & echo $! > DIR/child; wait",  // a child holding the pipes
  ])
  func aCommandThatNeverAnswersIsStoppedAndKilled(_ body: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("sbatch")
    let text = body.replacingOccurrences(of: "DIR", with: folder.path)
    try "#!/bin/sh\necho $$ > \(folder.path)/pid\n\(text)\n".write(
      to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    var client = SlurmClient()
    client.timeout = 0.5
    let started = Date()
    #expect { try client.run(script, named: "sbatch", []) } throws: {
      "\($0)".contains("sbatch did not answer within 0 s")
    }
    #expect(Date().timeIntervalSince(started) < 9)
    let pid = try #require(
      Int32(
        try String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8)
          .trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(!Self.isRunning(pid), "the command is still running")
    if let child = try? String(
      contentsOf: folder.appendingPathComponent("child"), encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines), let childPID = Int32(child) {
      Thread.sleep(forTimeInterval: 0.2)
      #expect(!Self.isRunning(childPID), "the command's child is still running")
    }
  }

  /// Whether `pid` is a process that runs: not gone, and not a zombie waiting to be reaped
  /// (an orphan's parent here may never reap it).
  static func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0,
      let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
  }
}

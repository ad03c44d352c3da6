import Foundation
import TestSupport
import Testing

/// A signal at any moment — while the data loads, in the first step, mid-training, twice in a
/// row — ends the run with 128 + the signal's number and the promised state, never a crash:
/// the exit does not tear down oneDNN or OpenBLAS under a thread that is still computing.
@Suite(.onEveryBackend) struct InterruptTests {
  /// Runs `arguments`, sends `signals` after `delay` seconds (each 10 ms after the last), and
  /// returns how the process ended and what it said.
  static func interrupt(
    _ arguments: [String], after delay: Double, signals: [Int32], environment: [String: String]
  ) throws -> (status: Int32, reason: Process.TerminationReason, message: String) {
    let (process, errors) = try BinaryRunner.start(arguments, environment: environment)
    Thread.sleep(forTimeInterval: delay)
    for signal in signals {
      kill(process.processIdentifier, signal)
      Thread.sleep(forTimeInterval: 0.01)
    }
    let message = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, process.terminationReason, message)
  }

  /// A text run (which cannot save its state) removed at moments from its start to mid-training
  /// (from 0.1 s: before its `main` runs, a process has no handler yet).
  @Test func aTextRunEndsCleanlyWhenever() throws {
    let box = try TextCommandTests.Sandbox()
    for (index, delay) in [0.1, 0.2, 0.35, 0.6, 1.0, 1.6].enumerated() {
      let signal = index % 2 == 0 ? SIGINT : SIGTERM
      let outcome = try Self.interrupt(
        [
          "text", "names", "--data", box.corpus.path, "--epochs", "400", "--minutes", "0",
          "--output-dir", box.outputs.path, "--quiet",
        ], after: delay, signals: [signal], environment: [:])
      #expect(outcome.reason == .exit, "signal after \(delay) s: \(outcome.message)")
      #expect(outcome.status == 128 + signal, "signal after \(delay) s: \(outcome.message)")
      #expect(!outcome.message.contains("error:"), "signal after \(delay) s: \(outcome.message)")
      #expect(runsInProgress(box.outputs.appendingPathComponent("text-names")).isEmpty)
    }
  }

  /// A GAN (which saves its state on the first signal) sent two signals 10 ms apart, before and
  /// during training: the second quits at once, without a crash.
  @Test func aGANEndsCleanlyOnTwoSignals() throws {
    let box = try ClassifyCommandTests.Sandbox()
    for delay in [0.1, 0.4, 1.5] {
      let outcome = try Self.interrupt(
        [
          "gan", "mnist", "--epochs", "200", "--data-dir", box.data.path, "--output-dir",
          box.outputs.path, "--quiet",
        ], after: delay, signals: [SIGINT, SIGINT], environment: box.environment)
      #expect(outcome.reason == .exit, "signals after \(delay) s: \(outcome.message)")
      #expect(outcome.status == 130, "signals after \(delay) s: \(outcome.message)")
    }
  }
}

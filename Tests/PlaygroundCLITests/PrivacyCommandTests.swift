import Foundation
import TestSupport
import Testing

/// `playground privacy`, as a user runs it: Opacus's ε for its MNIST example's settings, the
/// noise for a target, and bad settings as one line.
@Suite(.onOneBackend) struct PrivacyCommandTests {
  @Test func theMNISTExampleSpendsOpacusEpsilon() throws {
    let spent = try BinaryRunner.run([
      "privacy", "--sample-rate", "0.004", "--noise-multiplier", "1.1", "--epochs", "60",
    ])
    #expect(spent.status == 0, "\(spent.standardError)")
    #expect(spent.standardOutput.contains("ε = 2.5029 at δ = 1e-05 after 15000 steps"))
    #expect(spent.standardOutput.contains("best RDP order α = 8.4"), "\(spent.standardOutput)")
    let noise = try BinaryRunner.run([
      "privacy", "--sample-rate", "0.004", "--epochs", "15", "--target-epsilon", "1",
    ])
    #expect(noise.status == 0, "\(noise.standardError)")
    #expect(noise.standardOutput.hasPrefix("noise multiplier σ = 1.2451171875 for ε ≤ 1.0\n"))
  }

  @Test(arguments: [
    (["--sample-rate", "0", "--noise-multiplier", "1", "--epochs", "1"], "--sample-rate must be"),
    (["--sample-rate", "0.1", "--epochs", "1"], "give --noise-multiplier"),
    (["--sample-rate", "1", "--epochs", "100000", "--target-epsilon", "1e-9"], "cannot be met"),
    (["--sample-rate", "1e-9", "--noise-multiplier", "1", "--epochs", "1"], "at most 10⁸ steps"),
  ])
  func badSettingsAreOneLine(_ arguments: [String], _ expected: String) throws {
    let outcome = try BinaryRunner.run(["privacy"] + arguments)
    #expect(outcome.status != 0)
    let lines = outcome.standardError.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].contains(expected), "\(outcome.standardError)")
  }
}

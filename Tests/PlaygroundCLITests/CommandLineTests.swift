import Foundation
import Testing
import TestSupport

/// The real binary: help, version, the benchmark command, and bad input.
@Suite(.onOneBackend) struct CommandLineTests {
  @Test func helpListsEverySubcommandWithItsAbstract() throws {
    let outcome = try BinaryRunner.run(["--help"])
    #expect(outcome.status == 0)
    #expect(outcome.standardOutput.contains("bench"))
    #expect(
      outcome.standardOutput.contains("Measure the speed of the playground's building blocks."))
    #expect(outcome.standardOutput.contains("Examples:"))
  }

  @Test func versionIsPrinted() throws {
    let outcome = try BinaryRunner.run(["--version"])
    #expect(outcome.status == 0)
    #expect(
      outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
        .count == 3)
  }

  @Test func coreBenchmarkTimesBothBackendsSideBySide() throws {
    let outcome = try BinaryRunner.run([
      "bench", "core", "--only", "sgemm 32x128", "--min-seconds", "0.01", "--format", "tsv",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let lines = outcome.standardOutput.split(separator: "\n")
    let libraries = try #require(lines.first)
    #expect(libraries.hasPrefix("# threads="), "\(libraries)")
    #expect(libraries.contains(" onednn=") && libraries.contains(" openblas_core="), "\(libraries)")
    #expect(
      lines.dropFirst().first == "workload\tonednn_us\tonednn_gflops\topenblas_us\topenblas_gflops")
    let row = try #require(lines.last?.split(separator: "\t", omittingEmptySubsequences: false))
    #expect(row.first == "sgemm 32x128·128x10")
    #expect((Double(row[1]) ?? 0) > 0 && (Double(row[3]) ?? 0) > 0, "\(row)")

    let one = try BinaryRunner.run([
      "bench", "core", "--only", "conv2d fwd+bwd 64x2", "--min-seconds", "0.01", "--backend",
      "openblas", "--format", "tsv",
    ])
    #expect(one.status == 0, "\(one.standardError)")
    #expect(one.standardOutput.contains("workload\topenblas_us\topenblas_gflops\n"))
  }

  @Test func badOptionValueIsOneClearLine() throws {
    let outcome = try BinaryRunner.run(["bench", "core", "--min-seconds=-1"])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError
        == "error: --min-seconds must be positive, got -1.0 (see 'playground --help')\n")
  }

  @Test func unknownSubcommandFails() throws {
    let outcome = try BinaryRunner.run(["teleport"])
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains("teleport"))
  }
}

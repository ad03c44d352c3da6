import Foundation
import Testing

/// The real binary: help, version, the benchmark command, and bad input.
@Suite struct CommandLineTests {
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

  @Test func coreBenchmarkReportsTheBLASCoreAndTimings() throws {
    let outcome = try BinaryRunner.run([
      "bench", "core", "--only", "sgemm 32x128", "--min-seconds", "0.01", "--format", "tsv",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let lines = outcome.standardOutput.split(separator: "\n")
    #expect(lines.first?.hasPrefix("# openblas_core=") == true)
    let row = try #require(lines.last?.split(separator: "\t"))
    #expect(row.first == "sgemm 32x128·128x10")
    #expect((Double(row[1]) ?? 0) > 0)
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

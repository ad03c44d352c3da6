import ArgumentParser
import Foundation

/// The `playground` command: learn and experiment with deep learning on a laptop's CPU.
@main
struct Playground: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "playground",
    abstract: "Run real agents and generative models on your CPU, and look at what comes out.",
    discussion: """
      Everything runs on one neural-net core written in Swift (tensors, reverse-mode autodiff, layers, losses, optimizers), checked against PyTorch.

      Examples:
        playground bench core               # sgemm, convolution, per-op overhead
        playground bench core --format tsv  # the same, machine-readable
      """,
    version: version,
    subcommands: [Bench.self])

  /// Parses and runs, reporting any failure as one line on standard error with a non-zero exit
  /// status: no usage dump, no stack trace.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      // Help and --version arrive as "errors" that exit successfully.
      guard code != .success else { exit(withError: error) }
      let message =
        self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
      let hint = error is CommandFailure ? "" : " (see 'playground --help')"
      FileHandle.standardError.write(Data("error: \(message)\(hint)\n".utf8))
      Foundation.exit(code.rawValue)
    }
  }
}

/// A failure to report to the user as one line: what is wrong and how to fix it.
struct CommandFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

import ArgumentParser
import Foundation

/// Options every command that writes a run folder shares.
struct RunOptions: ParsableArguments {
  @Option(help: "The folder that receives <scenario>/<run-id>/.")
  var outputDir = "outputs"

  @Option(parsing: .unconditional, help: "The seed of every random choice (default: the config's, 0).")
  var seed: UInt64?

  @Flag(help: "Print only the final line.")
  var quiet = false

  var outputURL: URL { URL(fileURLWithPath: outputDir) }
}

/// Options of commands that read a data set.
struct DataOptions: ParsableArguments {
  @Option(
    help:
      "A folder with the IDX files (in it or in <dataset>/), searched first; default $PLAYGROUND_DATA."
  )
  var dataDir: String?
}

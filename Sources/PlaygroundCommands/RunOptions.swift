import ArgumentParser
import Foundation
import PlaygroundComputeConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundRuns

/// Options every command that writes a run folder shares.
struct RunOptions: ParsableArguments {
  @Option(help: "The folder that receives <scenario>/<run-id>/.")
  var outputDir = "outputs"

  @Option(
    parsing: .unconditional, help: "The seed of every random choice (default: the config's, 0).")
  var seed: UInt64?

  @Flag(help: "Print only the final line.")
  var quiet = false

  @Flag(name: .customLong("no-tensorboard"), help: "Write no TensorBoard event file.")
  var noTensorBoard = false

  var outputURL: URL { URL(fileURLWithPath: outputDir) }

  /// The context of `--resume FOLDER`: the run stays where it is (its scenario folder and that
  /// folder's output folder), with these options' quietness and TensorBoard choice.
  func resuming(_ folder: URL, data: DataOptions) -> RunContext {
    var context = RunContext(
      scenario: folder.deletingLastPathComponent().lastPathComponent,
      outputDirectory: folder.deletingLastPathComponent().deletingLastPathComponent(),
      sources: DataSources.fromEnvironment(dataDirectory: data.dataDir), quiet: quiet)
    context.tensorBoard = !noTensorBoard
    return context
  }
}

/// Options of commands that read a data set.
struct DataOptions: ParsableArguments {
  @Option(
    help:
      "A folder with the IDX files (in it or in <dataset>/), searched first; default $PLAYGROUND_DATA."
  )
  var dataDir: String?
}

/// Options of commands whose runs compute with tensors: which library and how many threads
/// (the settings `backend` and `threads`, recorded in the run's `config.yaml`).
struct ComputeOptions: ParsableArguments {
  @Option(
    help:
      "The library of matrix products and convolutions: onednn, openblas or auto (default: the settings', else $PLAYGROUND_BACKEND, else onednn where installed)."
  )
  var backend: ComputeBackendChoice?

  @Option(
    help:
      "That library's threads (default: the settings', else $PLAYGROUND_THREADS, else the cores no other program keeps busy)."
  )
  var threads: Int?

  /// Adds the options given to `overrides`.
  func add(to overrides: inout Overrides) {
    overrides["backend"] = backend?.rawValue
    overrides["threads"] = threads
  }
}

extension ComputeBackendChoice: ExpressibleByArgument {}

import Foundation
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns
import Yams

/// A command's flags as the settings a scenario's `overrides:` would give, applied to a job the
/// same way (read strictly, then validated): the commands are shorthands for scenarios.
struct Overrides {
  private var entries: [(key: String, value: String)] = []

  /// Sets `key` to `value` when a flag gave one.
  subscript(key: String) -> CustomStringConvertible? {
    get { entries.first { $0.key == key }?.value }
    set {
      entries.removeAll { $0.key == key }
      if let newValue { entries.append((key, newValue.description)) }
    }
  }

  /// `job` with these settings.
  func applied<Job: RunJob>(to job: Job) throws -> Job {
    let mapping = Node.Mapping(entries.map { (Node($0.key), Node($0.value)) })
    let changed = try job.applying(mapping, source: "the command line")
    try changed.validate()
    return changed
  }
}

extension RunOptions {
  /// Where `job` runs when a command starts it.
  func context(for job: some RunJob, dataDirectory: String? = nil) -> RunContext {
    var context = RunContext(
      scenario: job.defaultName, outputDirectory: outputURL,
      sources: DataSources.fromEnvironment(dataDirectory: dataDirectory), quiet: quiet)
    context.tensorBoard = !noTensorBoard
    return context
  }
}

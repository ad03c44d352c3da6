import Foundation
import PlaygroundComputeConfig
import PlaygroundCore
import PlaygroundRuns

/// A kind whose settings are one struct that also chooses its compute backend and threads
/// (`backend:`, `threads:`): checking it, writing its `config.yaml` and training inside its
/// compute settings are written once here.
public protocol ComputeRunJob: SettingsRunJob where Settings: ComputeSettable {
  /// Trains with settings whose `auto` and 0 are resolved (what `config.yaml` records), inside
  /// their compute settings.
  /// - Returns: the finished run folder.
  func runResolved(in context: RunContext) throws -> URL
}

extension ComputeRunJob {
  public func validate() throws { try settings.validate() }
  public func configYAML() throws -> String { try settings.yaml() }

  /// Trains with the backend and threads its settings resolve to, recorded in `config.yaml`.
  public func run(in context: RunContext) throws -> URL {
    var job = self
    job.settings = settings.resolvingCompute
    return try Compute.with(job.settings.compute) { try job.runResolved(in: context) }
  }
}

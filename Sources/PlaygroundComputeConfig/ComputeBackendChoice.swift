import PlaygroundConfig
import PlaygroundCore

/// The backend a run's settings ask for (`backend:`): one by name, or `auto`.
public enum ComputeBackendChoice: String, ConfigChoice {
  /// `PLAYGROUND_BACKEND`, else the preferred backend (oneDNN where it is installed).
  case auto
  case onednn
  case openblas
}

extension ComputeSettings {
  /// The most threads a run's settings may ask for.
  public static let maximumThreads = 1024

  /// What a run's `backend:` and `threads:` settings resolve to on this machine: `auto` and 0
  /// take ``environment``'s. A run records the result in its `config.yaml`, so that rerunning it
  /// (`--config`) uses the same.
  public init(_ backend: ComputeBackendChoice, threads: Int) {
    let environment = ComputeSettings.environment
    self.init(
      backend: ComputeBackend(rawValue: backend.rawValue) ?? environment.backend,
      threads: threads == 0 ? environment.threads : threads)
  }

  /// Checks a `threads:` setting: 0 (automatic) up to ``maximumThreads``.
  public static func validate(threads: Int) throws {
    guard (0...maximumThreads).contains(threads) else {
      throw RunError(
        "threads must be 0 (PLAYGROUND_THREADS, else the cores free) to \(maximumThreads), got \(threads)"
      )
    }
  }
}

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

/// Settings that choose the backend and thread count of a run (`backend:` and `threads:`).
public protocol ComputeSettable {
  var backend: ComputeBackendChoice { get set }
  var threads: Int { get set }
}

extension ComputeSettable {
  /// What the settings resolve to on this machine (``ComputeSettings/init(_:threads:)``).
  public var compute: ComputeSettings { ComputeSettings(backend, threads: threads) }

  /// These settings with `auto` and 0 replaced by what they resolve to: what a run records.
  public var resolvingCompute: Self {
    var resolved = self
    let settings = compute
    resolved.backend = ComputeBackendChoice(rawValue: settings.backend.rawValue) ?? .auto
    resolved.threads = settings.threads
    return resolved
  }
}

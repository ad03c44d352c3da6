import PlaygroundConfig
import PlaygroundCore

/// The settings every run that computes with tensors holds alike — `backend:`, `threads:` and
/// `seed:` — declared once and embedded in each kind's settings (``ConfigFile/Embedded``), whose
/// files write them after their own keys.
public struct ComputeRunSettings: EmbeddedSettings {
  /// The library of the matrix products and convolutions: `auto` (`PLAYGROUND_BACKEND`, else
  /// oneDNN where it is installed), `onednn` or `openblas`. A run records the one it used.
  public var backend = ComputeBackendChoice.auto
  /// That library's threads; 0: `PLAYGROUND_THREADS`, else the cores free. A run records the count
  /// it used: the sums of a product split across threads round differently.
  public var threads = 0
  /// The seed of every random choice.
  public var seed: UInt64 = 0

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case backend, threads, seed
  }

  public func validate() throws {
    try ComputeSettings.validate(threads: threads)
  }
}

/// Settings of a run that computes with tensors: its own keys and the embedded
/// ``ComputeRunSettings``, which these accessors read and write.
public protocol ComputeSettable: SeededConfig where Embedded == ComputeRunSettings {}

extension ComputeSettable {
  /// ``ComputeRunSettings/backend``.
  public var backend: ComputeBackendChoice {
    get { embedded.backend }
    set { embedded.backend = newValue }
  }

  /// ``ComputeRunSettings/threads``.
  public var threads: Int {
    get { embedded.threads }
    set { embedded.threads = newValue }
  }

  /// ``ComputeRunSettings/seed``.
  public var seed: UInt64 {
    get { embedded.seed }
    set { embedded.seed = newValue }
  }

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

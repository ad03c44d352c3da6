import PlaygroundCore

extension Layer {
  /// Sets this layer's parameters and buffers to those of `source` (a hard target-network
  /// update), matching them by position: the two must have the same architecture.
  public func copyState(from source: any Layer) {
    softUpdate(from: source, tau: 1)
  }

  /// Polyak averaging toward `source`: `θ ← τ·θ_source + (1 − τ)·θ` for every parameter, and a
  /// copy of the buffers (as CleanRL's DQN does by zipping parameters).
  /// - Parameter tau: the weight of the source, in `[0, 1]`.
  public func softUpdate(from source: any Layer, tau: Float) {
    precondition((0...1).contains(tau), "tau must be in [0, 1], got \(tau)")
    let targets = namedParameters
    let sources = source.namedParameters
    precondition(
      targets.map(\.tensor.shape) == sources.map(\.tensor.shape),
      "parameter shapes differ: \(targets.map(\.tensor.shape)) vs \(sources.map(\.tensor.shape))")
    for (target, source) in zip(targets, sources) {
      if tau == 1 {
        target.tensor.scalars = source.tensor.scalars
      } else {
        let s = source.tensor.scalars
        target.tensor.scalars.withUnsafeMutableBufferPointer { t in
          for i in t.indices { t[i] = tau * s[i] + (1 - tau) * t[i] }
        }
      }
    }
    for (target, source) in zip(namedBuffers, source.namedBuffers) {
      target.tensor.scalars = source.tensor.scalars
    }
  }
}

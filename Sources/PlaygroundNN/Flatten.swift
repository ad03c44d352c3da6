import PlaygroundCore

/// Collapses every axis after the batch axis: `[N, a, b, …] → [N, a·b·…]` (Keras' `Flatten`).
public final class Flatten: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.flattened() }
}

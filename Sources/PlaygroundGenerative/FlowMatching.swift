import PlaygroundCore
import PlaygroundNN

/// Conditional flow matching with straight paths (rectified flow: Liu et al., 2022; Lipman et
/// al., 2022): a network learns the velocity that carries noise x₀ at t = 0 to an image x₁ at
/// t = 1 along x_t = (1 − t)·x₀ + t·x₁, whose velocity is x₁ − x₀.
public enum FlowMatching {
  /// The point at time `t` (one per image) on the straight path from `noise` to `images` (both
  /// `[N, …]`).
  public static func interpolate(noise: Tensor, images: Tensor, times: [Float]) -> Tensor {
    precondition(
      noise.shape == images.shape && times.count == images.shape.first,
      "interpolate needs noise and images of one shape and one time per image")
    let perImage = images.count / max(times.count, 1)
    var scalars = [Float](repeating: 0, count: images.count)
    for (n, t) in times.enumerated() {
      for k in (n * perImage)..<((n + 1) * perImage) {
        scalars[k] = (1 - t) * noise.scalars[k] + t * images.scalars[k]
      }
    }
    return Tensor(shape: images.shape, scalars: scalars)
  }

  /// The loss of a velocity prediction: the mean squared error against `images − noise`.
  public static func loss(predicted: Tensor, noise: Tensor, images: Tensor) -> Tensor {
    meanSquaredError(predicted: predicted, expected: (images - noise).detached())
  }
}

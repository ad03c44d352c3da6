import Foundation
import PlaygroundCore
import PlaygroundNN
import PlaygroundRandom

/// Which input pixels a classifier's score for a class depends on: gradient-based attribution
/// of a class logit to the (scaled) input pixels.
public enum AttributionMethod: String, CaseIterable, Sendable {
  /// The input gradient of the class logit (Simonyan, Vedaldi & Zisserman 2014, "Deep Inside
  /// Convolutional Networks").
  case vanilla
  /// The input gradient averaged over copies of the image with Gaussian noise (Smilkov et al.
  /// 2017, "SmoothGrad"): 25 samples, σ = 15% of the input's range.
  case smoothgrad
  /// Integrated gradients (Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep
  /// Networks"): (x − x′) times the gradient averaged along the straight path from the black
  /// image x′ to x (128 midpoint steps); the attributions sum to f(x) − f(x′) (completeness).
  case integrated
}

/// Attributions of one image's class logit, for a network mapping `[n, 1, rows, columns]`
/// inputs to `[n, classes]` logits (in evaluation mode: no dropout, batch statistics fixed).
public struct Attribution {
  public let network: Sequential
  public let shape: [Int]

  /// - Parameters:
  ///   - rows, columns: the image size.
  public init(network: Sequential, rows: Int, columns: Int) {
    self.network = network
    shape = [1, rows, columns]
  }

  /// The logit of `target` for each image of `images` (each of `rows × columns` scaled pixels)
  /// and its gradient with respect to that image's pixels.
  public func logitGradients(_ images: [[Float]], target: Int) -> [(
    logit: Float, gradient: [Float]
  )] {
    let pixels = shape.reduce(1, *)
    let input = Tensor(
      shape: [images.count] + shape, scalars: images.flatMap { $0 }, requiresGrad: true)
    network.setTraining(false)
    let logits = network(input)
    let classes = logits.shape[1]
    var seed = [Float](repeating: 0, count: logits.count)
    for image in images.indices { seed[image * classes + target] = 1 }
    let values = images.indices.map { logits.scalars[$0 * classes + target] }
    logits.backward(seed: seed)
    let gradient = input.gradient ?? [Float](repeating: 0, count: input.count)
    return images.indices.map { (values[$0], Array(gradient[$0 * pixels..<($0 + 1) * pixels])) }
  }

  /// The attribution of `target`'s logit to each pixel of `image` by `method`.
  /// - Parameter seed: the noise of SmoothGrad.
  public func attribute(_ image: [Float], target: Int, method: AttributionMethod, seed: UInt64 = 0)
    -> [Float]
  {
    switch method {
    case .vanilla: return logitGradients([image], target: target)[0].gradient
    case .smoothgrad: return smoothGrad(image, target: target, seed: seed)
    case .integrated: return integratedGradients(image, target: target).attributions
    }
  }

  /// SmoothGrad: the mean gradient over `samples` noisy copies.
  public func smoothGrad(_ image: [Float], target: Int, samples: Int = 25, seed: UInt64 = 0)
    -> [Float]
  {
    let generator = RandomGenerator(seed: seed)
    let range = (image.max() ?? 1) - (image.min() ?? 0)
    let sigma = 0.15 * (range > 0 ? range : 1)
    let noisy = (0..<samples).map { _ in
      image.map { $0 + generator.normal(mean: 0, standardDeviation: sigma) }
    }
    let gradients = logitGradients(noisy, target: target).map(\.gradient)
    return image.indices.map { pixel in
      gradients.reduce(0) { $0 + $1[pixel] } / Float(samples)
    }
  }

  /// Integrated gradients from the black image, with the two ends of the path: the
  /// attributions' sum should equal `score − baselineScore`.
  public func integratedGradients(_ image: [Float], target: Int, steps: Int = 128) -> (
    attributions: [Float], score: Float, baselineScore: Float
  ) {
    // Midpoints α = (k + ½)/steps, and the two ends, in one batch.
    let alphas = (0..<steps).map { (Float($0) + 0.5) / Float(steps) } + [0, 1]
    let results = logitGradients(alphas.map { alpha in image.map { $0 * alpha } }, target: target)
    var attributions = [Float](repeating: 0, count: image.count)
    for result in results.prefix(steps) {
      for pixel in image.indices { attributions[pixel] += result.gradient[pixel] }
    }
    for pixel in image.indices { attributions[pixel] *= image[pixel] / Float(steps) }
    return (attributions, results[steps + 1].logit, results[steps].logit)
  }
}

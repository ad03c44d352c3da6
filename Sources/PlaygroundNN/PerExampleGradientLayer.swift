import PlaygroundCore
import PlaygroundKernels

/// What a layer records in a traced forward pass (``PerExampleGradientLayer``): its input, and
/// after the backward pass the gradient of the summed loss with respect to its output before
/// the activation — for example n, row n, which depends on example n alone.
public final class ExampleGradientTrace {
  /// The layer's input, `[N, …]`.
  public let input: Tensor
  /// `[N, …]` in the layout of the layer's pre-activation output; `nil` until backward.
  public internal(set) var outputGradient: [Float]?
  /// Each example's gradient of the weight, where a layer materialises them (`[N, weight]`).
  var weightGradients: [Float] = []

  init(input: Tensor) {
    self.input = input
  }

  /// The number of examples.
  public var examples: Int { input.shape.first ?? 0 }
}

/// A layer whose parameters' gradient can be told apart per example of a batch: what DP-SGD
/// (Abadi et al., 2016) clips, as Opacus's `GradSampleModule` computes it.
///
/// Dense and Conv2D have it. Layers that mix the examples of a batch (batch norm) have no
/// per-example gradient; ``PerExampleGradients`` refuses them by name.
public protocol PerExampleGradientLayer: KernelLayer {
  /// The layer applied with its parameters untracked, recording its input and (during the
  /// backward pass) its output's gradient in `trace`.
  func callAsFunction(_ input: Tensor, tracing trace: ExampleGradientTrace) -> Tensor
  /// ‖∂ℓₙ/∂θ‖² over this layer's parameters θ, for each example n: `[N]`.
  func squaredNormsPerExample(_ trace: ExampleGradientTrace) -> [Float]
  /// Σₙ factorsₙ · ∂ℓₙ/∂θ for each of ``KernelLayer/namedParameters`` in order, each in its
  /// parameter's layout.
  func weightedSumOfExampleGradients(_ trace: ExampleGradientTrace, factors: [Float]) -> [[Float]]
}

extension PerExampleGradientLayer {
  /// The parameters as untracked values, and the pre-activation output's gradient observed.
  func traced(
    _ trace: ExampleGradientTrace, _ operation: (Tensor, Tensor?) -> Tensor
  ) -> Tensor {
    operation(weight.detached(), bias?.detached()).observingGradient { [trace] gradient in
      trace.outputGradient = gradient
    }
  }

  /// Σₙ factorsₙ · rowₙ for rows of `width` values.
  static func weightedRowSum(_ rows: [Float], width: Int, factors: [Float]) -> [Float] {
    var sum = [Float](repeating: 0, count: width)
    sum.withUnsafeMutableBufferPointer { sum in
      rows.withUnsafeBufferPointer { rows in
        for (n, factor) in factors.enumerated() where factor != 0 {
          playground_axpy(sum.baseAddress!, rows.baseAddress! + n * width, factor, width)
        }
      }
    }
    return sum
  }

  /// Σₖ rowₖ² for each of the `count` rows of `width` values.
  static func squaredRowNorms(_ rows: [Float], count: Int) -> [Float] {
    let width = count == 0 ? 0 : rows.count / count
    return rows.withUnsafeBufferPointer { rows in
      (0..<count).map { playground_sum_of_squares(rows.baseAddress! + $0 * width, width) }
    }
  }

  /// Σₖ rowₖ for each of the `count` rows of `width` values.
  static func rowSums(_ rows: [Float], count: Int) -> [Float] {
    let width = count == 0 ? 0 : rows.count / count
    return rows.withUnsafeBufferPointer { rows in
      (0..<count).map { playground_sum(rows.baseAddress! + $0 * width, width) }
    }
  }
}

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
  /// Each example's gradient of the weight and of the bias, where a layer forms them while
  /// computing the norms (`[N, weight]`, `[N, bias]`), for the clipped sum.
  var weightGradients: [Float] = []
  var biasGradients: [Float] = []

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
    guard width > 0 else { return [] }
    return [Float](unsafeUninitializedCapacity: width) { sum, written in
      sum.initialize(repeating: 0)
      let target = UncheckedPointer(sum.baseAddress!)
      rows.withUnsafeBufferPointer { rows in
        // Columns split across threads; each column sums the rows in order.
        Parallel.forEachChunk(width, work: rows.count) { columns in
          for (n, factor) in factors.enumerated() where factor != 0 {
            playground_axpy(
              target.pointer + columns.lowerBound,
              rows.baseAddress! + n * width + columns.lowerBound, factor, columns.count)
          }
        }
      }
      written = width
    }
  }

  /// Σₖ rowₖ² for each of the `count` rows of `width` values.
  static func squaredRowNorms(_ rows: [Float], count: Int) -> [Float] {
    eachRow(rows, count: count, playground_sum_of_squares)
  }

  /// Σₖ rowₖ for each of the `count` rows of `width` values.
  static func rowSums(_ rows: [Float], count: Int) -> [Float] {
    eachRow(rows, count: count, playground_sum)
  }

  /// `reduce` of each of the `count` rows, the rows split across threads.
  private static func eachRow(
    _ rows: [Float], count: Int, _ reduce: (UnsafePointer<Float>?, Int) -> Float
  ) -> [Float] {
    guard count > 0 else { return [] }
    let width = rows.count / count
    return [Float](unsafeUninitializedCapacity: count) { result, written in
      let target = UncheckedPointer(result.baseAddress!)
      rows.withUnsafeBufferPointer { rows in
        Parallel.forEachChunk(count, work: rows.count) { range in
          for n in range { target.pointer[n] = reduce(rows.baseAddress! + n * width, width) }
        }
      }
      written = count
    }
  }
}

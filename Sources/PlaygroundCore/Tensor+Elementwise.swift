import PlaygroundKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Tensor {
  /// Applies `function` to every element. `derivative(x, y)` is `dy/dx` at input `x` with output
  /// `y`, so that each operation states its forward and its derivative side by side.
  func map(
    _ function: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    var output = [Float](repeating: 0, count: count)
    scalars.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        for i in x.indices { y[i] = function(x[i]) }
      }
    }
    let input = self
    return .result(shape: shape, scalars: output, inputs: [input]) { [output] g in
      var dx = [Float](repeating: 0, count: g.count)
      input.scalars.withUnsafeBufferPointer { x in
        output.withUnsafeBufferPointer { y in
          dx.withUnsafeMutableBufferPointer { dx in
            for i in x.indices { dx[i] = g[i] * derivative(x[i], y[i]) }
          }
        }
      }
      input.accumulateGradient(dx)
    }
  }

  /// `eˣ` element-wise.
  public func exp() -> Tensor { map(expf) { _, y in y } }
  /// The natural logarithm element-wise.
  public func log() -> Tensor { map(logf) { x, _ in 1 / x } }
  /// The square root element-wise.
  public func sqrt() -> Tensor { map(sqrtf) { _, y in 0.5 / y } }
  /// `x²` element-wise.
  public func squared() -> Tensor { map({ $0 * $0 }) { x, _ in 2 * x } }
  /// `|x|` element-wise; the derivative at 0 is 0, as in PyTorch.
  public func abs() -> Tensor { map(fabsf) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
  /// `max(0, x)` element-wise; the derivative at 0 is 0, as in PyTorch.
  public func relu() -> Tensor { leakyRelu(negativeSlope: 0) }

  /// `x` for `x > 0`, `slope · x` otherwise (PyTorch's `leaky_relu`, default slope 0.01). The
  /// most used activations get this dedicated kernel, in C (`PlaygroundKernels`) so that it
  /// vectorizes.
  public func leakyRelu(negativeSlope slope: Float = 0.01) -> Tensor {
    let n = count
    let output = [Float](unsafeUninitializedCapacity: n) { y, initialized in
      scalars.withUnsafeBufferPointer { x in
        Parallel.forEachElementChunk(n) {
          playground_leaky_relu(
            x.baseAddress! + $0.lowerBound, y.baseAddress! + $0.lowerBound, $0.count, slope)
        }
      }
      initialized = n
    }
    let input = self
    return .result(shape: shape, scalars: output, inputs: [input]) { g in
      input.accumulateGradient(Tensor.leakyReLUGradient(g, at: input.scalars, slope: slope))
    }
  }

  /// The gradient `g` back through a leaky ReLU of `slope` at `x`: `g` where `x > 0`,
  /// `slope · g` elsewhere (`x` may also be the ReLU's output when the slope is ≥ 0: it is
  /// positive where the input is).
  static func leakyReLUGradient(_ g: [Float], at x: [Float], slope: Float) -> [Float] {
    let n = g.count
    return [Float](unsafeUninitializedCapacity: n) { dx, initialized in
      x.withUnsafeBufferPointer { x in
        g.withUnsafeBufferPointer { g in
          Parallel.forEachElementChunk(n) {
            let start = $0.lowerBound
            playground_leaky_relu_backward(
              x.baseAddress! + start, g.baseAddress! + start, dx.baseAddress! + start,
              $0.count, slope)
          }
        }
      }
      initialized = n
    }
  }

  /// SiLU (swish), `x · σ(x)` element-wise (PyTorch's `silu`; Elfwing et al., 2018), the U-Net's
  /// activation; in C with an exponential of its own (relative error below 1e-6) so that it
  /// vectorizes.
  public func silu() -> Tensor {
    elementwise(playground_silu, gradientFromOutput: false, playground_silu_backward)
  }

  /// The hyperbolic tangent element-wise, in C (`playground_tanh`, relative error below 2e-7)
  /// so that it vectorizes.
  public func tanh() -> Tensor {
    elementwise(playground_tanh, gradientFromOutput: true, playground_tanh_backward)
  }

  /// An element-wise operation of two C kernels, each split across threads in chunks:
  /// `forward(x, y, count)`, and `backward(s, g, dx, count)` with `s` the input, or the output
  /// when `gradientFromOutput`.
  private func elementwise(
    _ forward: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
    gradientFromOutput: Bool,
    _ backward:
      @escaping (
        UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int
      ) -> Void
  ) -> Tensor {
    let n = count
    let output = [Float](unsafeUninitializedCapacity: n) { y, initialized in
      scalars.withUnsafeBufferPointer { x in
        Parallel.forEachElementChunk(n) {
          forward(x.baseAddress! + $0.lowerBound, y.baseAddress! + $0.lowerBound, $0.count)
        }
      }
      initialized = n
    }
    let input = self
    return .result(shape: shape, scalars: output, inputs: [input]) { g in
      let saved = gradientFromOutput ? output : input.scalars
      let dx = [Float](unsafeUninitializedCapacity: n) { dx, initialized in
        saved.withUnsafeBufferPointer { s in
          g.withUnsafeBufferPointer { g in
            Parallel.forEachElementChunk(n) {
              let start = $0.lowerBound
              backward(
                s.baseAddress! + start, g.baseAddress! + start, dx.baseAddress! + start, $0.count)
            }
          }
        }
        initialized = n
      }
      input.accumulateGradient(dx)
    }
  }
  /// The logistic function `1 / (1 + e⁻ˣ)` element-wise.
  public func sigmoid() -> Tensor {
    map({ $0 >= 0 ? 1 / (1 + expf(-$0)) : expf($0) / (1 + expf($0)) }) { _, y in y * (1 - y) }
  }
  /// `log(1 + eˣ)` element-wise, computed stably; its derivative is the logistic function.
  public func softplus() -> Tensor {
    map({ Swift.max($0, 0) + log1pf(expf(-Swift.abs($0))) }) { x, _ in
      x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }
  }
  /// Clamps every element to `range`; the gradient passes only inside it (PyTorch's `clamp`).
  public func clamped(to range: ClosedRange<Float>) -> Tensor {
    map({ Swift.min(Swift.max($0, range.lowerBound), range.upperBound) }) { x, _ in
      range.contains(x) ? 1 : 0
    }
  }
  /// `c · x` element-wise.
  public func scaled(by c: Float) -> Tensor { map({ c * $0 }) { _, _ in c } }
  /// `x + c` element-wise.
  public func adding(_ c: Float) -> Tensor { map({ $0 + c }) { _, _ in 1 } }
}

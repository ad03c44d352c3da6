import PlaygroundCore
import PlaygroundKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam (Kingma & Ba, 2015): moving averages of the gradient and its square, bias-corrected.
///
/// Two conventions differ in where ε enters, and both are reachable:
/// - ``Convention/pytorch`` (`torch.optim.Adam`, ε = 1e-8):
///   `p ← p − lr · m̂ / (√v̂ + ε)`.
/// - ``Convention/keras`` (`keras.optimizers.Adam`, ε = 1e-7, the paper's "ε̂" form):
///   `p ← p − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)`.
public final class Adam: ParameterwiseOptimizer {
  /// Where ε is added; see the type's documentation.
  public enum Convention: String, Sendable {
    case pytorch
    case keras
  }

  public let beta1: Float
  public let beta2: Float
  public let epsilon: Float
  public let convention: Convention
  /// This step's `p −= rate · m / (√v · scale + ε)` (``prepareStep()``).
  private var rate: Float = 0
  private var scale: Float = 1

  override public class var bufferNames: [String] { ["exp_avg", "exp_avg_sq"] }

  /// - Parameters:
  ///   - learningRate: the step size, 1e-3 by default.
  ///   - beta1, beta2: decay rates of the moment averages, in `[0, 1)`; DCGAN uses β₁ = 0.5.
  ///   - epsilon: `nil` picks the convention's default (1e-8 PyTorch, 1e-7 Keras).
  public init(
    parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float? = nil, convention: Convention = .pytorch
  ) {
    let epsilon = epsilon ?? (convention == .pytorch ? 1e-8 : 1e-7)
    checkHyperParameter((0..<1).contains(beta1), "Adam beta1 must be in [0, 1), got \(beta1)")
    checkHyperParameter((0..<1).contains(beta2), "Adam beta2 must be in [0, 1), got \(beta2)")
    checkHyperParameter(epsilon > 0, "Adam epsilon must be positive, got \(epsilon)")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.convention = convention
    super.init(
      parameters: parameters, learningRate: learningRate, bufferNames: Self.bufferNames,
      zeroed: true)
  }

  public convenience init(
    for layer: any Layer, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float? = nil, convention: Convention = .pytorch
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, convention: convention)
  }

  /// Both conventions as p −= rate · m / (√v · scale + ε): the bias corrections of this step.
  override func prepareStep() {
    let t = Float(stepCount)
    let correction1 = 1 - powf(beta1, t)
    let correction2 = 1 - powf(beta2, t)
    (rate, scale) =
      convention == .keras
      ? (learningRate * correction2.squareRoot() / correction1, 1)
      : (learningRate / correction1, 1 / correction2.squareRoot())
  }

  override func update(_ parameter: Tensor, gradient: [Float], buffers: inout [[Float]?]) {
    let (b1, b2, eps, rate, scale) = (beta1, beta2, epsilon, rate, scale)
    // Taken out (so that the kernel writes them in place, uniquely referenced) and put back.
    var m = buffers[0]!
    var v = buffers[1]!
    (buffers[0], buffers[1]) = (nil, nil)
    m.withUnsafeMutableBufferPointer { m in
      v.withUnsafeMutableBufferPointer { v in
        parameter.scalars.withUnsafeMutableBufferPointer { p in
          gradient.withUnsafeBufferPointer { g in
            // Element-wise, so large tensors split across the cores give the same numbers. Split
            // per element, not per array touched: the Keras MLP's 100,352-weight update (35–50 µs
            // on one core) lost more to waking a second thread than it gained — 2.6–2.8 s for
            // `classify fashion --raw-pixels` on two threads against 2.2 s on one, 2.25–2.3 s
            // on both now.
            Parallel.forEachChunk(p.count, work: p.count) { range in
              playground_adam_update(
                p.baseAddress! + range.lowerBound, m.baseAddress! + range.lowerBound,
                v.baseAddress! + range.lowerBound, g.baseAddress! + range.lowerBound,
                range.count, b1, b2, rate, scale, eps)
            }
          }
        }
      }
    }
    (buffers[0], buffers[1]) = (m, v)
  }

  /// The moment estimates and step count, for checkpoints that resume training exactly.
  public struct State: Sendable {
    public var stepCount: Int
    public var firstMoments: [[Float]]
    public var secondMoments: [[Float]]

    public init(stepCount: Int, firstMoments: [[Float]], secondMoments: [[Float]]) {
      self.stepCount = stepCount
      self.firstMoments = firstMoments
      self.secondMoments = secondMoments
    }
  }

  /// The optimizer's state; setting it requires moments of this optimizer's parameter sizes.
  public var state: State {
    get {
      State(
        stepCount: stepCount, firstMoments: buffers.map { $0[0]! },
        secondMoments: buffers.map { $0[1]! })
    }
    set {
      precondition(
        newValue.firstMoments.map(\.count) == parameters.map(\.count)
          && newValue.secondMoments.map(\.count) == parameters.map(\.count),
        "Adam state of other parameter sizes")
      stepCount = newValue.stepCount
      buffers = zip(newValue.firstMoments, newValue.secondMoments).map { [$0, $1] }
    }
  }
}

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
public final class Adam: SavableOptimizer {
  /// Where ε is added; see the type's documentation.
  public enum Convention: String, Sendable {
    case pytorch
    case keras
  }

  public let parameters: [Tensor]
  public var learningRate: Float
  public let beta1: Float
  public let beta2: Float
  public let epsilon: Float
  public let convention: Convention
  /// Steps taken so far (the `t` of the bias corrections).
  public private(set) var stepCount = 0
  private var firstMoments: [[Float]]
  private var secondMoments: [[Float]]

  /// - Parameters:
  ///   - learningRate: the step size, 1e-3 by default.
  ///   - beta1, beta2: decay rates of the moment averages, in `[0, 1)`; DCGAN uses β₁ = 0.5.
  ///   - epsilon: `nil` picks the convention's default (1e-8 PyTorch, 1e-7 Keras).
  public init(
    parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float? = nil, convention: Convention = .pytorch
  ) {
    let epsilon = epsilon ?? (convention == .pytorch ? 1e-8 : 1e-7)
    checkHyperParameter(
      learningRate >= 0, "Learning rate must be non-negative, got \(learningRate)")
    checkHyperParameter((0..<1).contains(beta1), "Adam beta1 must be in [0, 1), got \(beta1)")
    checkHyperParameter((0..<1).contains(beta2), "Adam beta2 must be in [0, 1), got \(beta2)")
    checkHyperParameter(epsilon > 0, "Adam epsilon must be positive, got \(epsilon)")
    self.parameters = parameters
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.convention = convention
    firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    secondMoments = firstMoments
  }

  public convenience init(
    for layer: any Layer, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float? = nil, convention: Convention = .pytorch
  ) {
    self.init(
      parameters: layer.parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, convention: convention)
  }

  public func step() {
    stepCount += 1
    let t = Float(stepCount)
    let correction1 = 1 - powf(beta1, t)
    let correction2 = 1 - powf(beta2, t)
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    // Both conventions as p −= rate · m / (√v · scale + ε); branch-free inner loops vectorize.
    let (rate, scale): (Float, Float) =
      convention == .keras
      ? (learningRate * correction2.squareRoot() / correction1, 1)
      : (learningRate / correction1, 1 / correction2.squareRoot())
    for (index, parameter) in parameters.enumerated() {
      guard let gradient = parameter.gradient else { continue }
      firstMoments[index].withUnsafeMutableBufferPointer { m in
        secondMoments[index].withUnsafeMutableBufferPointer { v in
          parameter.scalars.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
              // Element-wise, so large tensors split across the cores give the same numbers.
              Parallel.forEachChunk(p.count, work: 4 * p.count) { range in
                playground_adam_update(
                  p.baseAddress! + range.lowerBound, m.baseAddress! + range.lowerBound,
                  v.baseAddress! + range.lowerBound, g.baseAddress! + range.lowerBound,
                  range.count, b1, b2, rate, scale, eps)
              }
            }
          }
        }
      }
    }
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
    get { State(stepCount: stepCount, firstMoments: firstMoments, secondMoments: secondMoments) }
    set {
      precondition(
        newValue.firstMoments.map(\.count) == parameters.map(\.count)
          && newValue.secondMoments.map(\.count) == parameters.map(\.count),
        "Adam state of other parameter sizes")
      stepCount = newValue.stepCount
      firstMoments = newValue.firstMoments
      secondMoments = newValue.secondMoments
    }
  }

  public static let bufferNames = ["exp_avg", "exp_avg_sq"]

  public var savedState: OptimizerState {
    OptimizerState(
      stepCount: stepCount, buffers: ["exp_avg": firstMoments, "exp_avg_sq": secondMoments])
  }

  public func restore(_ state: OptimizerState) throws {
    let buffers = try required(Self.bufferNames, of: state)
    (firstMoments, secondMoments, stepCount) = (buffers[0], buffers[1], state.stepCount)
  }
}

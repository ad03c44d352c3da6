import PlaygroundCore

/// The loop every optimizer here shares: a step counts itself, then updates each parameter that
/// has a gradient by the optimizer's own rule (``update(_:gradient:buffers:)``), with that
/// parameter's buffers — named as PyTorch's `state_dict()` names them — which this class keeps,
/// saves and restores. An optimizer overrides the rule and the buffer names (the pattern of
/// mlx-swift's `applySingle(gradient:parameter:state:)`).
public class ParameterwiseOptimizer: SavableOptimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// Steps taken so far.
  public internal(set) var stepCount = 0
  /// Each parameter's buffers, in the order of ``bufferNames``; `nil` until the rule makes one.
  var buffers: [[[Float]?]]
  /// Whether the buffers start as zeros (and so must be in a restored state).
  private let zeroed: Bool

  /// The buffer names of ``savedState``; each optimizer says its own.
  public class var bufferNames: [String] { [] }

  /// - Parameter zeroed: whether the buffers start as zeros (moment estimates) or as `nil`, for
  ///   the rule to make on its first step (SGD's momentum buffer is the first gradient).
  init(parameters: [Tensor], learningRate: Float, bufferNames: [String], zeroed: Bool) {
    checkHyperParameter(
      learningRate >= 0, "Learning rate must be non-negative, got \(learningRate)")
    self.parameters = parameters
    self.learningRate = learningRate
    self.zeroed = zeroed
    buffers = parameters.map { parameter in
      bufferNames.map { _ in zeroed ? [Float](repeating: 0, count: parameter.count) : nil }
    }
  }

  public func step() {
    stepCount += 1
    prepareStep()
    for (index, parameter) in parameters.enumerated() {
      guard let gradient = parameter.gradient else { continue }
      update(parameter, gradient: gradient, buffers: &buffers[index])
    }
  }

  /// What a step computes once for all parameters (bias corrections); nothing by default.
  func prepareStep() {}

  /// Updates `parameter` in place from its `gradient`, reading and writing its `buffers`.
  func update(_ parameter: Tensor, gradient: [Float], buffers: inout [[Float]?]) {
    preconditionFailure("\(type(of: self)) does not say how it updates a parameter")
  }

  public var savedState: OptimizerState {
    var named: [String: [[Float]?]] = [:]
    for (slot, name) in Self.bufferNames.enumerated() {
      named[name] = buffers.map { $0[slot] }
    }
    return OptimizerState(stepCount: stepCount, buffers: named)
  }

  /// Continues from `state`: buffers that start as zeros must be there; others may be missing.
  public func restore(_ state: OptimizerState) throws {
    let restored = try Self.bufferNames.map { try buffer($0, of: state, optional: !zeroed) }
    buffers = parameters.indices.map { index in restored.map { $0[index] } }
    stepCount = state.stepCount
  }
}

import PlaygroundCore

/// Updates parameters from their accumulated gradients.
///
/// Optimizers here follow PyTorch's update rules (checked against `torch.optim` in the tests) and
/// keep per-parameter state in the same order as ``parameters``. A parameter without a gradient
/// is skipped, as in PyTorch.
public protocol Optimizer: AnyObject {
  /// The tensors updated in place by ``step()``.
  var parameters: [Tensor] { get }
  /// The step size; schedules change it between steps.
  var learningRate: Float { get set }
  /// Applies one update to every parameter that has a gradient.
  func step()
}

extension Optimizer {
  /// Forgets every parameter's gradient (PyTorch's `zero_grad()`).
  public func zeroGradients() {
    for parameter in parameters { parameter.zeroGradient() }
  }
}

/// Checks a hyper-parameter where it enters an optimizer.
func checkHyperParameter(_ valid: Bool, _ message: @autoclosure () -> String) {
  precondition(valid, message())
}

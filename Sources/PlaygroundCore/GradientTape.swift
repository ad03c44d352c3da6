/// Whether operations are recorded for automatic differentiation, and the reverse pass.
///
/// Recording follows micrograd's engine: each operation builds its result and attaches the closure
/// that computes its own derivative (its pullback); ``Tensor/backward()`` orders the graph
/// topologically and runs the pullbacks in reverse.
public enum GradientTape {
  /// `false` inside ``withoutGradient(_:)``: results are plain values, nothing is recorded.
  @TaskLocal public static var isRecording = true
}

/// Runs `body` without recording operations (PyTorch's `torch.no_grad()`): for inference,
/// target networks and parameter updates.
public func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
  try GradientTape.$isRecording.withValue(false, operation: body)
}

extension Tensor {
  /// Wraps an operation's result. When recording and any input needs a gradient, the result
  /// remembers its inputs and `pullback`, which receives the result's gradient.
  static func result(
    shape: [Int], scalars: [Float], inputs: [Tensor], pullback: @escaping ([Float]) -> Void
  ) -> Tensor {
    let output = Tensor(shape: shape, scalars: scalars)
    if inputs.contains(where: { $0.requiresGrad }) && GradientTape.isRecording {
      output.requiresGrad = true
      output.inputs = inputs
      output.pullback = pullback
    }
    return output
  }

  /// Computes the gradient of this scalar with respect to every leaf it depends on, adding it to
  /// each leaf's ``gradient`` (gradients accumulate until ``zeroGradient()``).
  ///
  /// The graph is released afterwards, as PyTorch does without `retain_graph`.
  /// - Precondition: the tensor has one element.
  public func backward() {
    precondition(count == 1, "backward() starts from a scalar; this tensor has shape \(shape)")
    backward(seed: [1])
  }

  /// Backpropagates `seed`, the gradient of some scalar with respect to this tensor.
  /// - Precondition: `seed.count == count`.
  public func backward(seed: [Float]) {
    precondition(seed.count == count, "backward seed has \(seed.count) elements, need \(count)")
    guard requiresGrad else { return }
    let order = topologicalOrder()
    accumulateGradient(seed)
    for node in order.reversed() {
      guard let pullback = node.pullback else { continue }
      if let gradient = node.gradient { pullback(gradient) }
      node.gradient = nil
      node.pullback = nil
      node.inputs = []
    }
  }

  /// The recorded graph below this tensor, every node after all of its inputs.
  private func topologicalOrder() -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(node: Tensor, expanded: Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        order.append(node)
        continue
      }
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append((node, true))
      for input in node.inputs
      where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
        stack.append((input, false))
      }
    }
    return order
  }
}

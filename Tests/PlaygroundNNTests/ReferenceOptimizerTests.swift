import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

/// The optimizer trajectories of `torch_reference.json`: three steps from the same start with the
/// same gradients reach the same parameters as `torch.optim`.
@Suite(.onEveryBackend) struct ReferenceOptimizerTests {
  static let optimizers: [String: @Sendable ([Tensor]) -> any Optimizer] = [
    "adam_lr1e-3": { Adam(parameters: $0, learningRate: 1e-3) },
    "adam_lr2e-4_b0.5": { Adam(parameters: $0, learningRate: 2e-4, beta1: 0.5) },
    "sgd_lr0.1_momentum0.9": { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) },
    "rmsprop_lr1e-2": { RMSprop(parameters: $0, learningRate: 1e-2) },
  ]

  @Test(arguments: optimizers.keys.sorted())
  func followsPyTorch(_ name: String) throws {
    let reference = try #require(TorchReference.shared.optimizers[name])
    let parameter = reference.start.variable
    let makeOptimizer = try #require(Self.optimizers[name])
    let optimizer = makeOptimizer([parameter])
    for (step, (gradient, expected)) in zip(reference.grads, reference.after_each_step).enumerated()
    {
      optimizer.zeroGradients()
      // Seed the gradient through a recorded identity, as a backward pass would.
      (parameter * 1).backward(seed: gradient.tensor.scalars)
      optimizer.step()
      #expect(mismatch(parameter.scalars, expected.data) == nil, "\(name) after step \(step + 1)")
    }
  }

  @Test func everyOptimizerCaseIsCovered() {
    #expect(Set(TorchReference.shared.optimizers.keys) == Set(Self.optimizers.keys))
  }

  /// Keras' Adam adds ε to √v, not to √v̂: after one step of gradient g the move is
  /// lr·√(1−β₂)/(1−β₁) · (1−β₁)g / (√(1−β₂)|g| + ε).
  @Test func kerasAdamPutsEpsilonOnTheUncorrectedRoot() {
    let p = Tensor([1.0]).requiringGrad()
    let adam = Adam(parameters: [p], learningRate: 0.1, convention: .keras)
    #expect(adam.epsilon == 1e-7)
    (p * 1).backward(seed: [1e-6])
    adam.step()
    let g: Double = 1e-6
    let expectedMove =
      0.1 * (0.001).squareRoot() / 0.1 * 0.1 * g / ((0.001).squareRoot() * g + 1e-7)
    #expect(Swift.abs(Double(1 - p.scalars[0]) - expectedMove) < 1e-6)
  }

  @Test func parametersWithoutGradientsAreLeftAlone() {
    let used = Tensor([1.0]).requiringGrad()
    let unused = Tensor([2.0]).requiringGrad()
    let adam = Adam(parameters: [used, unused], learningRate: 0.1)
    (used * 3).sum().backward()
    adam.step()
    #expect(used.scalars[0] < 1)
    #expect(unused.scalars == [2])
  }

  @Test func clippingScalesToTheGlobalNorm() {
    let a = Tensor([0, 0]).requiringGrad()
    let b = Tensor([0]).requiringGrad()
    (a * Tensor([3, 0])).sum().backward()
    (b * Tensor([4])).sum().backward()
    let norm = clipGradientNorm([a, b], maxNorm: 1)
    #expect(Swift.abs(norm - 5) < 1e-6)
    #expect(Swift.abs(a.gradient![0] - 0.6) < 1e-5 && Swift.abs(b.gradient![0] - 0.8) < 1e-5)
    // Below the limit nothing changes.
    clipGradientNorm([a, b], maxNorm: 10)
    #expect(Swift.abs(a.gradient![0] - 0.6) < 1e-5)
  }
}

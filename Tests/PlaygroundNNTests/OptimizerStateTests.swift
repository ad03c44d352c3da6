import PlaygroundCore
import PlaygroundNN
import Testing
import TestSupport

/// The optimizer branches the PyTorch fixture does not reach (SGD's weight decay and Nesterov
/// momentum, RMSprop's momentum), checked against `torch.optim`'s documented update rules
/// computed here in Double; and every optimizer's state saved mid-training continuing exactly.
@Suite(.onEveryBackend) struct OptimizerStateTests {
  static let start: [Float] = [0.5, -1.25, 2.0]
  static let gradients: [[Float]] = [
    [0.3, -0.2, 1.0], [-0.1, 0.4, 0.5], [0.25, 0.0, -0.75],
    [0.05, -0.6, 0.2], [-0.4, 0.1, 0.3],
  ]

  /// Runs `optimizer` over `gradients` from `parameter`'s current values.
  static func steps(_ optimizer: any Optimizer, _ parameter: Tensor, _ gradients: [[Float]]) {
    for gradient in gradients {
      optimizer.zeroGradients()
      (parameter * 1).backward(seed: gradient)
      optimizer.step()
    }
  }

  /// `torch.optim.SGD`: g ← g + wd·p; b ← μb + g (b = g at first); g ← g + μb (Nesterov) or b;
  /// p ← p − lr·g.
  @Test(arguments: [(false, 0.0), (true, 0.0), (true, 0.01), (false, 0.05)])
  func sgdFollowsTorchRules(_ nesterov: Bool, _ weightDecay: Double) {
    let (lr, mu) = (0.1, 0.9)
    var p = Self.start.map(Double.init)
    var b: [Double]?
    for g0 in Self.gradients {
      let g = zip(g0, p).map { Double($0) + weightDecay * $1 }
      let momentum = b.map { zip($0, g).map { mu * $0 + $1 } } ?? g
      b = momentum
      let step = nesterov ? zip(g, momentum).map { $0 + mu * $1 } : momentum
      p = zip(p, step).map { $0 - lr * $1 }
    }
    let parameter = Tensor(Self.start).requiringGrad()
    let sgd = SGD(
      parameters: [parameter], learningRate: Float(lr), momentum: Float(mu), nesterov: nesterov,
      weightDecay: Float(weightDecay))
    Self.steps(sgd, parameter, Self.gradients)
    for (got, expected) in zip(parameter.scalars, p) {
      #expect(abs(Double(got) - expected) < 1e-5, "nesterov \(nesterov), decay \(weightDecay)")
    }
  }

  /// `torch.optim.RMSprop` with momentum: v ← αv + (1−α)g²; b ← μb + g/(√v + ε); p ← p − lr·b.
  @Test func rmspropMomentumFollowsTorchRules() {
    let (lr, alpha, eps, mu) = (0.01, 0.99, 1e-8, 0.8)
    var p = Self.start.map(Double.init)
    var v = [Double](repeating: 0, count: p.count)
    var b = v
    for g in Self.gradients {
      for i in p.indices {
        let gi = Double(g[i])
        v[i] = alpha * v[i] + (1 - alpha) * gi * gi
        b[i] = mu * b[i] + gi / (v[i].squareRoot() + eps)
        p[i] -= lr * b[i]
      }
    }
    let parameter = Tensor(Self.start).requiringGrad()
    let rmsprop = RMSprop(parameters: [parameter], learningRate: Float(lr), momentum: Float(mu))
    Self.steps(rmsprop, parameter, Self.gradients)
    for (got, expected) in zip(parameter.scalars, p) {
      #expect(abs(Double(got) - expected) < 1e-5)
    }
  }

  static let makers: [String: @Sendable ([Tensor]) -> any SavableOptimizer] = [
    "adam": { Adam(parameters: $0, learningRate: 0.05) },
    "adam-keras": { Adam(parameters: $0, learningRate: 0.05, convention: .keras) },
    "sgd": { SGD(parameters: $0, learningRate: 0.1) },
    "sgd-nesterov": { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) },
    "rmsprop": { RMSprop(parameters: $0, learningRate: 0.01) },
    "rmsprop-momentum": { RMSprop(parameters: $0, learningRate: 0.01, momentum: 0.5) },
  ]

  /// Two steps, the state through a safetensors file into a new optimizer, three more steps:
  /// the same bits as five steps without a stop.
  @Test(arguments: makers.keys.sorted())
  func savedStateContinuesExactly(_ name: String) throws {
    let make = try #require(Self.makers[name])
    let whole = Tensor(Self.start).requiringGrad()
    Self.steps(make([whole]), whole, Self.gradients)

    let parameter = Tensor(Self.start).requiringGrad()
    let first = make([parameter])
    Self.steps(first, parameter, Array(Self.gradients.prefix(2)))
    let bytes = SafeTensors.encode(first.savedState.contents(prefix: "optimizer"))
    let read = try OptimizerState(
      SafeTensors.decode(bytes), prefix: "optimizer", buffers: type(of: first).bufferNames,
      sizes: [parameter.count])
    #expect(read == first.savedState)
    let second = make([parameter])
    try second.restore(read)
    Self.steps(second, parameter, Array(Self.gradients.dropFirst(2)))
    #expect(parameter.scalars == whole.scalars, "\(name)")
    #expect(second.savedState.stepCount == 5)
  }

  @Test func aStateOfOtherSizesIsRefused() {
    let adam = Adam(parameters: [Tensor(Self.start).requiringGrad()])
    let wrong = OptimizerState(stepCount: 1, buffers: ["exp_avg": [[1]], "exp_avg_sq": [[1]]])
    #expect(throws: CheckpointMismatch.self) { try adam.restore(wrong) }
    #expect(adam.savedState.stepCount == 0)
  }
}

import PlaygroundCore
import TestSupport
import Testing

/// The U-Net's operations against PyTorch (`torch_flow.json`): outputs and the gradients of
/// `sum(output · upstream)` within 1e-4 relative (or 1e-5 absolute).
@Suite(.onEveryBackend) struct UNetOperationTests {
  static let operations: [String: @Sendable ([Tensor]) -> Tensor] = [
    "group_norm_4_groups": { $0[0].groupNormalized(groups: 4, weight: $0[1], bias: $0[2]) },
    "group_norm_1_group_odd_plane": {
      $0[0].groupNormalized(groups: 1, weight: $0[1], bias: $0[2])
    },
    "silu": { $0[0].silu() },
    "average_pool_2": { $0[0].averagePooled2x2() },
    "upsample_nearest_2": { $0[0].upsampledNearest2x() },
    "add_per_channel": { $0[0].addingPerChannel($0[1]) },
  ]

  @Test(arguments: operations.keys.sorted())
  func matchesPyTorch(_ name: String) throws {
    let reference = TorchFlowReference.shared.operation(name)
    let leaves = (reference.inputs + reference.parameters).map { $0.tensor.requiringGrad() }
    let upstream = Tensor(
      shape: reference.output.shape, scalars: reference.upstream.map { Float($0) })
    let (output, gradients) = outputAndGradients(leaves, upstream: upstream) {
      Self.operations[name]!($0)
    }
    #expect(output.shape == reference.output.shape)
    #expect(mismatch(output.scalars, reference.output.values) == nil, "\(name) output")
    for (k, expected) in (reference.inputGradients + reference.parameterGradients).enumerated() {
      #expect(mismatch(gradients[k], expected) == nil, "\(name) gradient \(k)")
    }
  }

  /// Group norm splits the batch across threads by sample: one sample alone gets the bits it
  /// gets in a batch.
  @Test func groupNormOfASampleDoesNotDependOnItsBatch() {
    let reference = TorchFlowReference.shared.operation("group_norm_4_groups")
    let (x, w, b) = (
      reference.inputs[0].tensor, reference.parameters[0].tensor, reference.parameters[1].tensor
    )
    let whole = x.groupNormalized(groups: 4, weight: w, bias: b)
    let perSample = x.count / x.shape[0]
    let first = Tensor(shape: [1] + x.shape.dropFirst(), scalars: Array(x.scalars[..<perSample]))
    #expect(
      first.groupNormalized(groups: 4, weight: w, bias: b).scalars
        == Array(whole.scalars[..<perSample]))
  }

  /// Group norm followed by SiLU in one pass gives the bits of the two operations one after the
  /// other: the output and the gradients of γ, β and (when it needs one) the input.
  @Test(arguments: [true, false])
  func groupNormThenSiLUIsTheTwoOperations(inputNeedsGradient: Bool) {
    let random = RandomGenerator(seed: 5)
    let x = random.normalTensor([3, 8, 5, 7])
    let (w, b) = (random.normalTensor([8]), random.normalTensor([8]))
    let upstream = random.normalTensor([3, 8, 5, 7]).scalars
    func run(fused: Bool) -> [[Float]] {
      let input = inputNeedsGradient ? x.detached().requiringGrad() : x.detached()
      let (weight, bias) = (w.detached().requiringGrad(), b.detached().requiringGrad())
      let y =
        fused
        ? input.groupNormalized(groups: 4, weight: weight, bias: bias, thenSiLU: true)
        : input.groupNormalized(groups: 4, weight: weight, bias: bias).silu()
      y.backward(seed: upstream)
      return [y.scalars, weight.gradient!, bias.gradient!, input.gradient ?? []]
    }
    let (fused, separate) = (run(fused: true), run(fused: false))
    #expect(fused == separate)
    #expect(fused[3].isEmpty != inputNeedsGradient)
  }

  /// A convolution to one output channel (its own kernel) equals channel 0 of the same
  /// convolution with a second, zero channel (the backend's), gradients included.
  @Test(arguments: [(3, 1), (5, 0), (3, 2)])
  func oneOutputChannelMatchesTheGeneralConvolution(kernel: Int, padding: Int) {
    let random = RandomGenerator(seed: 4)
    let x = random.normalTensor([3, 4, 9, 7])
    let w = random.normalTensor([1, 4, kernel, kernel])
    let b = Tensor([0.25])
    let plane = (9 + 2 * padding - kernel + 1) * (7 + 2 * padding - kernel + 1)
    let upstream = random.normalTensor([3, 1, plane])
    let one = outputAndGradients([x, w, b].map { $0.detached().requiringGrad() }) {
      $0[0].conv2d(weight: $0[1], bias: $0[2], padding: padding).reshaped([3, 1, plane])
        * upstream
    }
    let two = outputAndGradients([x, w, b].map { $0.detached().requiringGrad() }) {
      let weight = Tensor.concatenate([$0[1], $0[1] * 0], alongAxis: 0)
      let bias = Tensor.concatenate([$0[2], $0[2] * 0], alongAxis: 0)
      let y = $0[0].conv2d(weight: weight, bias: bias, padding: padding)
      return y.reshaped([3, 2, plane]).narrowed(alongAxis: 1, 0..<1) * upstream
    }
    #expect(mismatch(one.output.scalars, two.output.scalars.map { Double($0) }) == nil)
    for k in 0..<3 {
      #expect(mismatch(one.gradients[k], two.gradients[k].map { Double($0) }) == nil, "\(k)")
    }
  }
}

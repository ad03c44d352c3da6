import PlaygroundCore
import TestSupport
import Testing

/// Every operation case of `torch_reference.json`: outputs and gradients within 1e-4 relative
/// (or 1e-5 absolute) of PyTorch's.
@Suite(.onEveryBackend) struct TorchReferenceTests {
  /// Case name → the operation, applied to the case's inputs in the order listed.
  static let operations: [String: (names: [String], apply: @Sendable ([Tensor]) -> Tensor)] = [
    "linear": (["x", "w", "b"], { $0[0].linear(weight: $0[1], bias: $0[2]) }),
    "relu": (["x"], { $0[0].relu() }),
    "leaky_relu_0.2": (["x"], { $0[0].leakyRelu(negativeSlope: 0.2) }),
    "tanh": (["x"], { $0[0].tanh() }),
    "sigmoid": (["x"], { $0[0].sigmoid() }),
    "softmax_dim1": (["x"], { $0[0].softmax(alongAxis: 1) }),
    "conv2d_k3_s1_p1": (
      ["x", "w", "b"], { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 1, padding: 1) }
    ),
    "conv2d_k4_s2_p1": (
      ["x", "w", "b"], { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    ),
    "conv2d_k5_s1_p0": (
      ["x", "w", "b"], { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 1, padding: 0) }
    ),
    "conv_transpose2d_k4_s2_p1": (
      ["x", "w", "b"], { $0[0].convTranspose2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    ),
    "conv_transpose2d_k3_s2_p1_op1": (
      ["x", "w", "b"],
      { $0[0].convTranspose2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1) }
    ),
    "max_pool2d_2": (["x"], { $0[0].maxPool2d(size: 2) }),
    "batch_norm1d_train": (
      ["x", "w", "b"], { $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output }
    ),
    "batch_norm2d_train": (
      ["x", "w", "b"], { $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output }
    ),
  ]

  @Test(arguments: operations.keys.sorted())
  func matchesPyTorch(_ name: String) throws {
    let reference = try #require(TorchReference.shared.cases[name], "fixture has no case \(name)")
    let (names, apply) = try #require(Self.operations[name])
    let inputs = names.map { reference.inputs[$0]!.variable }
    let (output, gradients) = outputAndGradients(inputs, upstream: reference.upstream.tensor, apply)
    #expect(output.shape == reference.output.shape)
    #expect(mismatch(output.scalars, reference.output.data) == nil, "\(name) output")
    for (inputName, gradient) in zip(names, gradients) {
      let expected = try #require(reference.grads[inputName])
      #expect(mismatch(gradient, expected.data) == nil, "\(name) gradient of \(inputName)")
    }
  }

  @Test func everyOperationCaseIsCovered() {
    let lossCases: Set = [
      "cross_entropy_mean", "bce_with_logits_mean", "mse_mean", "smooth_l1_mean_beta1",
    ]
    let covered = Set(Self.operations.keys).union(lossCases)
    #expect(Set(TorchReference.shared.cases.keys) == covered)
  }
}

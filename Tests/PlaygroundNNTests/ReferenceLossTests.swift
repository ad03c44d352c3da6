import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

/// The loss cases of `torch_reference.json`.
@Suite(.onEveryBackend) struct ReferenceLossTests {
  static let losses: [String: @Sendable (Tensor, TorchReference.Targets) -> Tensor] = [
    "cross_entropy_mean": { softmaxCrossEntropy(logits: $0, labels: $1.labels) },
    "bce_with_logits_mean": { sigmoidCrossEntropy(logits: $0, labels: $1.tensor) },
    "mse_mean": { meanSquaredError(predicted: $0, expected: $1.tensor) },
    "smooth_l1_mean_beta1": { huberLoss(predicted: $0, expected: $1.tensor, delta: 1) },
  ]

  @Test(arguments: losses.keys.sorted())
  func matchesPyTorch(_ name: String) throws {
    let reference = try #require(TorchReference.shared.cases[name])
    let loss = try #require(Self.losses[name])
    let targets = try #require(reference.targets)
    let (inputName, fixture) = try #require(reference.inputs.first)
    let input = fixture.variable
    let (output, gradients) = outputAndGradients([input], upstream: reference.upstream.tensor) {
      loss($0[0], targets)
    }
    #expect(output.shape == [])
    #expect(mismatch(output.scalars, reference.output.data) == nil, "\(name) value")
    #expect(mismatch(gradients[0], reference.grads[inputName]!.data) == nil, "\(name) gradient")
  }

  @Test func sparseCategoricalCrossEntropyIsCrossEntropyOfTheSoftmax() {
    let logits = Tensor([[1, 2, 0.5], [-1, 0, 3]]).requiringGrad()
    let viaLogits = softmaxCrossEntropy(logits: logits, labels: [1, 2])
    let viaProbabilities = sparseCategoricalCrossEntropy(
      probabilities: logits.softmax(), labels: [1, 2])
    #expect(Swift.abs(viaLogits.item - viaProbabilities.item) < 1e-6)
  }

  @Test func sparseCategoricalCrossEntropyClipsLikeKeras() {
    // A probability of 0 for the true class costs −log(1e-7), not infinity.
    let loss = sparseCategoricalCrossEntropy(probabilities: Tensor([[1, 0]]), labels: [1])
    #expect(Swift.abs(loss.item - 16.118_095) < 1e-3)
  }

  @Test func huberIsQuadraticInsideAndLinearOutsideDelta() {
    let loss = huberLoss(predicted: Tensor([0.5, 3]), expected: Tensor([0, 0]), delta: 2)
    // ½·0.25 and 2·(3 − 1), averaged.
    #expect(Swift.abs(loss.item - (0.125 + 4) / 2) < 1e-6)
  }
}

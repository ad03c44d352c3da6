import PlaygroundCore

// Loss functions, each the mean over the batch (PyTorch's `reduction="mean"`), composed from the
// core's differentiable operations. Names follow swift-apis.

/// Mean squared error, `mean((predicted − expected)²)` (PyTorch's `mse_loss`).
/// - Precondition: the shapes are equal.
public func meanSquaredError(predicted: Tensor, expected: Tensor) -> Tensor {
  precondition(
    predicted.shape == expected.shape,
    "meanSquaredError: predicted \(predicted.shape) and expected \(expected.shape) differ")
  return (predicted - expected).squared().mean()
}

/// The Huber loss with threshold `delta`: quadratic `½d²` for `|d| ≤ δ`, linear `δ(|d| − ½δ)`
/// beyond (PyTorch's `huber_loss`; with δ = 1 also `smooth_l1_loss`). DQN's usual loss.
/// - Precondition: the shapes are equal and `delta > 0`.
public func huberLoss(predicted: Tensor, expected: Tensor, delta: Float = 1) -> Tensor {
  precondition(
    predicted.shape == expected.shape,
    "huberLoss: predicted \(predicted.shape) and expected \(expected.shape) differ")
  precondition(delta > 0, "huberLoss delta must be positive, got \(delta)")
  let distance = (predicted - expected).abs()
  let quadratic = Tensor.minimum(distance, Tensor(delta))
  // ½q² + δ(|d| − q): the quadratic part up to δ, the linear part beyond it.
  return (quadratic.squared().scaled(by: 0.5) + (distance - quadratic).scaled(by: delta)).mean()
}

/// Cross-entropy of class scores, `−mean(log softmax(logits)[label])` (PyTorch's `cross_entropy`).
/// - Parameters:
///   - logits: `[batch, classes]` unnormalized scores.
///   - labels: one class index per row.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
  precondition(
    logits.rank == 2 && logits.shape[0] == labels.count,
    "softmaxCrossEntropy needs logits [batch, classes] and one label per row, got \(logits.shape) and \(labels.count) labels"
  )
  return -logits.logSoftmax().gathering(columns: labels).mean()
}

/// Keras' sparse categorical cross-entropy on probabilities (a softmax output): the
/// probabilities are clipped to `[ε, 1 − ε]`, then `−mean(log p[label])`.
/// - Parameters:
///   - probabilities: `[batch, classes]`, rows summing to 1.
///   - epsilon: Keras' backend epsilon, 1e-7.
public func sparseCategoricalCrossEntropy(
  probabilities: Tensor, labels: [Int], epsilon: Float = 1e-7
) -> Tensor {
  precondition(
    probabilities.rank == 2 && probabilities.shape[0] == labels.count,
    "sparseCategoricalCrossEntropy needs probabilities [batch, classes] and one label per row, got \(probabilities.shape) and \(labels.count) labels"
  )
  return -probabilities.clamped(to: epsilon...(1 - epsilon)).log().gathering(columns: labels).mean()
}

/// Binary cross-entropy of logits against targets in `[0, 1]`, computed stably as
/// `mean(softplus(x) − x·t)` (PyTorch's `binary_cross_entropy_with_logits`). GAN losses.
/// - Precondition: the shapes are equal.
public func sigmoidCrossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
  precondition(
    logits.shape == labels.shape,
    "sigmoidCrossEntropy: logits \(logits.shape) and labels \(labels.shape) differ")
  return (logits.softplus() - logits * labels).mean()
}

import PlaygroundCore
import PlaygroundData
import PlaygroundNN

extension ImageClassifier {
  /// One epoch of DP-SGD: `plan.stepsPerEpoch` steps, each on the images Poisson sampling draws
  /// (each with probability q, in index order, as Opacus's `UniformWithReplacementSampler`; a
  /// step whose batch is empty still applies noise) or on a shuffled fixed batch; the gradient
  /// is ``PrivateGradient``'s.
  /// - Returns: the epoch's mean loss and accuracy over the images it saw.
  func trainPrivateEpoch(
    _ images: LabeledImages, plan: PrivateTrainingPlan, onBatch: (Int, Double, Double) -> Void
  ) -> (loss: Double, accuracy: Double) {
    network.setTraining(true)
    let gradient = PrivateGradient(
      maxGradNorm: Float(plan.maxGradNorm), noiseMultiplier: Float(plan.noiseMultiplier),
      expectedBatchSize: plan.expectedBatchSize)
    let order = plan.poissonSampling ? [] : shuffling.permutation(images.count)
    var (lossSum, correct, seen) = (0.0, 0, 0)
    for step in 0..<plan.stepsPerEpoch {
      let indices =
        plan.poissonSampling
        ? (0..<images.count).filter { _ in shuffling.unitDouble() < plan.sampleRate }
        : Array(
          order[(step * config.batchSize)..<min((step + 1) * config.batchSize, order.count)])
      let labels = indices.map { Int(images.labels[$0]) }
      network.zeroGradients()
      // The network was checked when the classifier was made.
      let (loss, output) = gradient.apply(
        to: network, frozen: config.freeze, batch: batch(images, indices),
        loss: { softmaxCrossEntropy(logits: $0, labels: labels) }, noise: noise)
      optimizer.step()
      if let output {
        lossSum += Double(loss) * Double(indices.count)
        correct += zip(output.argmaxLastAxis(), labels).filter { $0 == $1 }.count
        seen += indices.count
      }
      onBatch(step + 1, lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)))
    }
    return (lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)))
  }
}

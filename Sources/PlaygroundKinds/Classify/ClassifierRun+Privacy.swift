import PlaygroundClassifier
import PlaygroundRuns

/// DP-SGD in a classify run: the plan resolved from the data, ε after every epoch, and what the
/// summary records.
extension ClassifierRun {
  /// The plan of a private run that trains (`nil` otherwise), with a warning when δ is not
  /// below 1/N — a δ that large allows leaking a whole example.
  static func privatePlan(config: ClassifierConfig, trainImages: Int, context: RunContext)
    throws -> PrivateTrainingPlan?
  {
    guard config.privacy.enabled else { return nil }
    let plan = try PrivateTrainingPlan(
      config.privacy, examples: trainImages, batchSize: config.batchSize, epochs: config.epochs)
    if config.privacy.delta >= 1 / Double(max(trainImages, 1)) {
      context.warn(
        "privacy.delta \(config.privacy.delta) is not below 1/N = 1/\(trainImages): (ε, δ) then allows revealing an example outright; use δ < 1/N (e.g. 1e-5 for 60,000 images)"
      )
    }
    if !plan.poissonSampling {
      context.warn(
        "privacy.poisson_sampling is false: batches are shuffled, not sampled, so the ε reported is not covered by the accountant's guarantee"
      )
    }
    context.progress(
      String(
        format: "DP-SGD: σ %.4g, C %g, q %.6f (expected batch %d), %d steps, δ %g",
        plan.noiseMultiplier, plan.maxGradNorm, plan.sampleRate, plan.expectedBatchSize,
        plan.stepsPerEpoch * config.epochs, plan.delta))
    return plan
  }

  /// What summary.json says of the privacy of the run's training.
  static func privacySummary(_ plan: PrivateTrainingPlan, epochs: Int) -> [String: Any] {
    let steps = plan.stepsPerEpoch * epochs
    return [
      "epsilon": plan.epsilon(afterSteps: steps), "delta": plan.delta,
      "noise_multiplier": plan.noiseMultiplier, "max_grad_norm": plan.maxGradNorm,
      "sample_rate": plan.sampleRate, "steps": steps,
      "expected_batch_size": plan.expectedBatchSize, "accountant": "rdp (Opacus 1.6)",
      "poisson_sampling": plan.poissonSampling,
      "guarantee": plan.poissonSampling
        ? "(ε, δ)-differential privacy of the training images"
        : "none: shuffled batches are not what the accountant assumes",
    ]
  }
}

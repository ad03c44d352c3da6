import PlaygroundConfig
import PlaygroundPrivacy

/// DP-SGD's numbers for one run, resolved from its ``PrivacySettings`` and its data as Opacus's
/// `make_private` resolves them: the sampling rate q = 1/(steps per epoch), with
/// ⌈N / batch_size⌉ steps per epoch; the expected batch size ⌊N·q⌋; σ given, or found for the
/// target ε over every step of the run.
public struct PrivateTrainingPlan: Equatable, Sendable {
  /// σ.
  public let noiseMultiplier: Double
  /// C.
  public let maxGradNorm: Double
  /// q, each image's chance to be in a step.
  public let sampleRate: Double
  /// Steps in an epoch.
  public let stepsPerEpoch: Int
  /// What each step's noisy sum is divided by.
  public let expectedBatchSize: Int
  /// δ.
  public let delta: Double
  /// Poisson sampling (what the accountant assumes) or shuffled fixed batches.
  public let poissonSampling: Bool

  /// - Parameter examples: N, the training images.
  /// - Throws: ``PlaygroundConfig/RunError`` when no σ reaches the target ε.
  public init(_ settings: PrivacySettings, examples: Int, batchSize: Int, epochs: Int) throws {
    stepsPerEpoch = max(1, (examples + batchSize - 1) / batchSize)
    sampleRate = 1 / Double(stepsPerEpoch)
    expectedBatchSize = max(1, Int(Double(examples) * sampleRate))
    maxGradNorm = settings.maxGradNorm
    delta = settings.delta
    poissonSampling = settings.poissonSampling
    if settings.targetEpsilon > 0 {
      do {
        noiseMultiplier = try RDPAccountant.noiseMultiplier(
          targetEpsilon: settings.targetEpsilon, delta: settings.delta, sampleRate: sampleRate,
          steps: stepsPerEpoch * epochs)
      } catch let error as PrivacyBudgetError {
        throw RunError("privacy.target_epsilon: \(error.description)")
      }
    } else {
      noiseMultiplier = settings.noiseMultiplier
    }
  }

  /// ε at δ after `steps` steps (Opacus's RDP accountant).
  public func epsilon(afterSteps steps: Int) -> Double {
    RDPAccountant.epsilon(
      sampleRate: sampleRate, noiseMultiplier: noiseMultiplier, steps: steps, delta: delta)
  }
}

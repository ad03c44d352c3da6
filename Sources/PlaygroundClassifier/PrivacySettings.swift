import PlaygroundConfig

/// The `privacy:` section of a classifier's settings: train with DP-SGD (Abadi et al., 2016) as
/// Opacus does — Poisson sampling, each example's gradient clipped to `max_grad_norm`, Gaussian
/// noise `noise_multiplier · max_grad_norm` — and account for it with Opacus's RDP accountant.
public struct PrivacySettings: ConfigFile, Equatable, Sendable {
  /// Train privately (`classify --dp`).
  public var enabled = false
  /// σ, the noise's standard deviation in units of `max_grad_norm` (Opacus's
  /// `noise_multiplier`); used unless `target_epsilon` is given.
  public var noiseMultiplier = 1.1
  /// The ε to spend by the end of training, at `delta`: σ is then the smallest that reaches it
  /// over all the run's steps (Opacus's `get_noise_multiplier`). 0: use `noise_multiplier`.
  public var targetEpsilon = 0.0
  /// C, the largest L2 norm an example's gradient keeps (over all trained parameters).
  public var maxGradNorm = 1.0
  /// The δ of (ε, δ)-differential privacy; below 1/N (N training images) to mean anything.
  public var delta = 1e-5
  /// Each image in each step with probability batch_size/N (batches vary in size), what the
  /// accountant assumes. `false`: shuffled batches of `batch_size`, and the ε reported is then
  /// not a guarantee (the run says so).
  public var poissonSampling = true

  public init() {}

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case enabled
    case noiseMultiplier = "noise_multiplier"
    case targetEpsilon = "target_epsilon"
    case maxGradNorm = "max_grad_norm"
    case delta
    case poissonSampling = "poisson_sampling"
  }

  public func validate() throws {
    try Require.that("privacy.noise_multiplier", noiseMultiplier, is: "positive (σ > 0)") {
      $0 > 0 && $0.isFinite && $0 <= 1e6
    }
    try Require.that(
      "privacy.target_epsilon", targetEpsilon, is: "0 (use noise_multiplier) or positive"
    ) {
      $0 >= 0 && $0.isFinite && $0 <= 1e6
    }
    try Require.that("privacy.max_grad_norm", maxGradNorm, is: "positive") {
      $0 > 0 && $0.isFinite && $0 <= 1e6
    }
    try Require.that("privacy.delta", delta, is: "between 0 and 1") { $0 > 0 && $0 < 1 }
  }
}

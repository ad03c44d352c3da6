import Foundation

/// The Rényi-differential-privacy accountant of DP-SGD, as Opacus 1.6 computes it
/// (`opacus/accountants/analysis/rdp.py`): the RDP of the sampled Gaussian mechanism at each
/// order α (Mironov, Talwar and Zhang 2019, "Rényi Differential Privacy of the Sampled
/// Gaussian Mechanism"), summed over the steps, and converted to (ε, δ) with the bound of
/// Balle et al. 2020 ("Hypothesis Testing Interpretations and Rényi Differential Privacy").
/// Checked against Opacus's own values (`Tests/Fixtures/opacus_rdp.json`).
public enum RDPAccountant {
  /// The orders α Opacus's `RDPAccountant.DEFAULT_ALPHAS` tries: 1.1 to 10.9 by tenths, then
  /// 12 to 63.
  public static let defaultOrders: [Double] =
    (1..<100).map { 1 + Double($0) / 10 } + (12..<64).map(Double.init)

  /// The RDP at each order of `steps` steps of the sampled Gaussian mechanism: each example in a
  /// step with probability `sampleRate` q, noise of standard deviation `noiseMultiplier` σ
  /// times the clipping norm (Opacus's `compute_rdp`).
  public static func rdp(
    sampleRate q: Double, noiseMultiplier sigma: Double, steps: Int,
    orders: [Double] = defaultOrders
  ) -> [Double] {
    orders.map { rdpOfOneStep(q: q, sigma: sigma, order: $0) * Double(steps) }
  }

  /// The ε of (ε, δ)-differential privacy that `rdp` at `orders` gives, with the order that
  /// gives it (Opacus's `get_privacy_spent`): ε = min over α of
  /// RDP(α) − (log δ + log α)/(α − 1) + log((α − 1)/α). Infinite when no order gives a number.
  public static func privacySpent(orders: [Double], rdp: [Double], delta: Double) -> (
    epsilon: Double, order: Double
  ) {
    precondition(orders.count == rdp.count, "one RDP value per order")
    var best: (epsilon: Double, order: Double)?
    for (order, value) in zip(orders, rdp) {
      let epsilon = value - (log(delta) + log(order)) / (order - 1) + log((order - 1) / order)
      guard !epsilon.isNaN else { continue }
      if best == nil || epsilon < best!.epsilon { best = (epsilon, order) }
    }
    return best ?? (.infinity, .nan)
  }

  /// The ε after `steps` steps at `sampleRate` with `noiseMultiplier`, for `delta`.
  public static func epsilon(
    sampleRate: Double, noiseMultiplier: Double, steps: Int, delta: Double,
    orders: [Double] = defaultOrders
  ) -> Double {
    let values = rdp(
      sampleRate: sampleRate, noiseMultiplier: noiseMultiplier, steps: steps, orders: orders)
    return privacySpent(orders: orders, rdp: values, delta: delta).epsilon
  }

  /// The smallest noise multiplier (within the search's tolerance) whose ε after `steps` steps
  /// is at most `targetEpsilon`, found as Opacus's `get_noise_multiplier` finds it: σ doubled
  /// from 20 until ε is below the target, then bisected until ε is within `tolerance` of it.
  /// - Throws: ``PrivacyBudgetError`` when even σ = 10⁶ spends more than the target.
  public static func noiseMultiplier(
    targetEpsilon: Double, delta: Double, sampleRate: Double, steps: Int,
    tolerance: Double = 0.01
  ) throws -> Double {
    var (low, high, epsilonHigh) = (0.0, 10.0, Double.infinity)
    while epsilonHigh > targetEpsilon {
      high *= 2
      epsilonHigh = epsilon(
        sampleRate: sampleRate, noiseMultiplier: high, steps: steps, delta: delta)
      if high > 1e6 {
        throw PrivacyBudgetError(
          "ε = \(targetEpsilon) at δ = \(delta) cannot be met in \(steps) steps at sample rate \(sampleRate), even with a noise multiplier of 10⁶: raise the target or train fewer steps"
        )
      }
    }
    while targetEpsilon - epsilonHigh > tolerance {
      let sigma = (low + high) / 2
      let value = epsilon(
        sampleRate: sampleRate, noiseMultiplier: sigma, steps: steps, delta: delta)
      if value < targetEpsilon {
        (high, epsilonHigh) = (sigma, value)
      } else {
        low = sigma
      }
    }
    return high
  }

  /// The RDP of one step at order α (Opacus's `_compute_rdp`).
  static func rdpOfOneStep(q: Double, sigma: Double, order alpha: Double) -> Double {
    if q == 0 { return 0 }
    if sigma == 0 { return .infinity }
    if q == 1 { return alpha / (2 * sigma * sigma) }
    if alpha.isInfinite { return .infinity }
    let logA =
      alpha == alpha.rounded()
      ? logAOfIntegerOrder(q: q, sigma: sigma, order: Int(alpha))
      : logAOfFractionalOrder(q: q, sigma: sigma, order: alpha)
    return logA / (alpha - 1)
  }

  /// log A_α for an integer α: the binomial expansion of E[(μ₁/μ₀)^α] (Opacus's
  /// `_compute_log_a_for_int_alpha`).
  static func logAOfIntegerOrder(q: Double, sigma: Double, order alpha: Int) -> Double {
    var logA = -Double.infinity
    var coefficient = 1.0
    for i in 0...alpha {
      if i > 0 { coefficient *= Double(alpha - i + 1) / Double(i) }
      let logCoefficient =
        log(coefficient) + Double(i) * log(q) + Double(alpha - i) * log(1 - q)
      logA = LogSpace.add(logA, logCoefficient + Double(i * i - i) / (2 * sigma * sigma))
    }
    return logA
  }

  /// log A_α for a fractional α: the two series of Mironov et al.'s Section 3.3, summed until
  /// their terms fall below e⁻³⁰ (Opacus's `_compute_log_a_for_frac_alpha`).
  static func logAOfFractionalOrder(q: Double, sigma: Double, order alpha: Double) -> Double {
    var (logA0, logA1) = (-Double.infinity, -Double.infinity)
    let z0 = sigma * sigma * log(1 / q - 1) + 0.5
    var coefficient = 1.0
    var i = 0.0
    while true {
      if i > 0 { coefficient *= (alpha - i + 1) / i }
      let logCoefficient = log(abs(coefficient))
      let j = alpha - i
      let logT0 = logCoefficient + i * log(q) + j * log(1 - q)
      let logT1 = logCoefficient + j * log(q) + i * log(1 - q)
      let logE0 = log(0.5) + LogSpace.logErfc((i - z0) / (2.0.squareRoot() * sigma))
      let logE1 = log(0.5) + LogSpace.logErfc((z0 - j) / (2.0.squareRoot() * sigma))
      let logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0
      let logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1
      if coefficient > 0 {
        logA0 = LogSpace.add(logA0, logS0)
        logA1 = LogSpace.add(logA1, logS1)
      } else {
        logA0 = LogSpace.subtract(logA0, logS0)
        logA1 = LogSpace.subtract(logA1, logS1)
      }
      i += 1
      if max(logS0, logS1) < -30 { break }
    }
    return LogSpace.add(logA0, logA1)
  }
}

/// A privacy target that no noise can meet.
public struct PrivacyBudgetError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

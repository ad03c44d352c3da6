import Foundation

/// Arithmetic on numbers kept as their logarithms, as the RDP accountant needs it (Opacus's
/// `_log_add`, `_log_sub` and `_log_erfc` in `opacus/accountants/analysis/rdp.py`, and SciPy's
/// `log_ndtr`).
enum LogSpace {
  /// log(x + y) from log x and log y.
  static func add(_ logX: Double, _ logY: Double) -> Double {
    let (a, b) = (min(logX, logY), max(logX, logY))
    guard a != -.infinity else { return b }
    return log1p(exp(a - b)) + b
  }

  /// log(x − y) from log x ≥ log y; −∞ when they are equal, NaN when log x < log y. Where exp overflows (x ≫ y) it is
  /// log x, as Opacus's `OverflowError` branch returns.
  static func subtract(_ logX: Double, _ logY: Double) -> Double {
    // Opacus raises here; a NaN leaves the order out of the conversion instead.
    guard logX >= logY else { return .nan }
    guard logY != -.infinity else { return logX }
    guard logX != logY else { return -.infinity }
    let difference = expm1(logX - logY)
    guard difference.isFinite else { return logX }
    return log(difference) + logY
  }

  /// log erfc(x), as log 2 + log Φ(−x√2).
  static func logErfc(_ x: Double) -> Double {
    log(2) + logNormalCDF(-x * 2.0.squareRoot())
  }

  /// log Φ(a), the logarithm of the standard normal distribution function, accurate in both
  /// tails (SciPy's `log_ndtr`: log1p in the upper tail, the asymptotic series below −20).
  static func logNormalCDF(_ a: Double) -> Double {
    if a > 6 { return -normalCDF(-a) }
    if a > -20 { return log(normalCDF(a)) }
    let logLeft = -0.5 * a * a - log(-a) - 0.5 * log(2 * Double.pi)
    var (last, right, numerator, factor) = (0.0, 1.0, 1.0, 1.0)
    let step = 1 / (a * a)
    var (sign, i) = (1.0, 0.0)
    while abs(last - right) > Double.ulpOfOne {
      i += 1
      last = right
      sign = -sign
      factor *= step
      numerator *= 2 * i - 1
      right += sign * numerator * factor
    }
    return logLeft + log(right)
  }

  /// Φ(a), as Cephes' `ndtr` computes it from erf and erfc.
  static func normalCDF(_ a: Double) -> Double {
    let x = a * 0.5.squareRoot()
    if abs(x) < 0.5.squareRoot() { return 0.5 + 0.5 * erf(x) }
    let tail = 0.5 * erfc(abs(x))
    return x > 0 ? 1 - tail : tail
  }
}

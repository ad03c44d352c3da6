import Foundation
import PlaygroundRandom

/// A mixture of normals truncated to `[low, high]`, one per observation plus a prior spanning
/// the interval: the density model of the Tree-structured Parzen Estimator (Bergstra et al.
/// 2011), with the bandwidths of Optuna's univariate TPE (each the larger gap to a neighbour,
/// clipped to `[(high − low) / min(100, 1 + n), high − low]`, the "magic clip").
struct ParzenEstimator {
  let low: Double
  let high: Double
  private(set) var means: [Double] = []
  private(set) var sigmas: [Double] = []
  /// Normalised.
  private(set) var weights: [Double] = []

  /// - Parameters:
  ///   - observations: points on the internal scale, with a weight each.
  ///   - priorWeight: the weight of the prior component (mean the middle, σ the width).
  init(
    observations: [(x: Double, weight: Double)], low: Double, high: Double, priorWeight: Double = 1
  ) {
    self.low = low
    self.high = high
    let prior = (x: (low + high) / 2, weight: priorWeight)
    let sorted = observations.sorted { $0.x < $1.x }
    let priorIndex = sorted.firstIndex { $0.x >= prior.x } ?? sorted.count
    var components = sorted
    components.insert(prior, at: priorIndex)
    let points = components.map(\.x)
    let width = high - low
    var sigmas = points.indices.map { i in
      let left = points[i] - (i > 0 ? points[i - 1] : low)
      let right = (i + 1 < points.count ? points[i + 1] : high) - points[i]
      return max(left, right)
    }
    if points.count >= 2 {  // The endpoints do not count as neighbours.
      sigmas[0] = points[1] - points[0]
      sigmas[sigmas.count - 1] = points[points.count - 1] - points[points.count - 2]
    }
    let smallest = width / Double(min(100, 1 + points.count))
    sigmas = sigmas.map { min(max($0, smallest), width) }
    sigmas[priorIndex] = width
    let total = components.map(\.weight).reduce(0, +)
    means = points
    self.sigmas = sigmas
    weights = components.map { $0.weight / total }
  }

  /// A point drawn from the mixture.
  func sample(_ generator: RandomGenerator) -> Double {
    var pick = generator.unitDouble()
    var component = weights.count - 1
    for (index, weight) in weights.enumerated() {
      if pick < weight {
        component = index
        break
      }
      pick -= weight
    }
    for _ in 0..<100 {
      let x = means[component] + sigmas[component] * Self.standardNormal(generator)
      if x >= low && x <= high { return x }
    }
    return low + generator.unitDouble() * (high - low)
  }

  /// The logarithm of the mixture's density at `x`.
  func logDensity(_ x: Double) -> Double {
    var terms: [Double] = []
    for index in means.indices {
      let (mean, sigma) = (means[index], sigmas[index])
      let z = (x - mean) / sigma
      let mass = Self.cdf((high - mean) / sigma) - Self.cdf((low - mean) / sigma)
      terms.append(
        log(weights[index]) - 0.5 * z * z - log(sigma) - 0.5 * log(2 * .pi)
          - log(max(mass, 1e-300)))
    }
    let largest = terms.max() ?? -.infinity
    guard largest.isFinite else { return largest }
    return largest + log(terms.map { exp($0 - largest) }.reduce(0, +))
  }

  static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

  /// Box–Muller, in double precision.
  static func standardNormal(_ generator: RandomGenerator) -> Double {
    let u = max(generator.unitDouble(), .leastNonzeroMagnitude)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * generator.unitDouble())
  }
}

/// The categorical counterpart: each choice's probability is its weighted count plus an equal
/// share of the prior weight, normalised (Optuna's univariate TPE).
struct CategoricalEstimator {
  let probabilities: [Double]

  init(observations: [(index: Int, weight: Double)], choices: Int, priorWeight: Double = 1) {
    var mass = [Double](repeating: priorWeight / Double(choices), count: choices)
    for observation in observations { mass[observation.index] += observation.weight }
    let total = mass.reduce(0, +)
    probabilities = mass.map { $0 / total }
  }

  func sample(_ generator: RandomGenerator) -> Int {
    var pick = generator.unitDouble()
    for (index, probability) in probabilities.enumerated() {
      if pick < probability { return index }
      pick -= probability
    }
    return probabilities.count - 1
  }

  func logDensity(_ index: Int) -> Double { log(probabilities[index]) }
}

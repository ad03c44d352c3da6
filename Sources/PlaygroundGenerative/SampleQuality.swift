import Foundation
import PlaygroundCore

/// How generated images look to a classifier: the Inception Score (Salimans et al., 2016), the
/// Fréchet distance between feature distributions (Heusel et al., 2017), the share of each class
/// and of confident predictions — measured with the playground's own CNN instead of Inception.
public struct SampleQuality: Sendable, Equatable {
  /// `exp(E[KL(p(y|x) ‖ p(y))])`: 1 for useless samples, the class count for perfect ones.
  public let inceptionScore: Double
  /// The Fréchet distance between generated and real features (lower is better).
  public let frechetDistance: Double
  /// The share of samples classified as each class.
  public let classShares: [Double]
  /// The share classified with a probability above 0.9.
  public let confidentShare: Double
  /// For samples drawn for given labels (a conditional generator): the share classified as
  /// their label.
  public let labelAccuracy: Double?
  /// The same per label: entry `d` is the share of samples drawn as `d` that look like `d`
  /// (`playground gan sample --digit d`'s success rate).
  public let labelAccuracyByClass: [Double]?

  /// - Parameters:
  ///   - probabilities: `[n, classes]` for generated samples.
  ///   - features: `[n, d]` for generated samples; `realFeatures` the same for real images.
  ///   - labels: the labels the samples were drawn for, if any.
  public init(probabilities: Tensor, features: Tensor, realFeatures: Tensor, labels: [Int]? = nil) {
    let (n, classes) = (probabilities.shape[0], probabilities.shape[1])
    let p = probabilities.scalars.map(Double.init)
    var marginal = [Double](repeating: 0, count: classes)
    for i in 0..<n { for c in 0..<classes { marginal[c] += p[i * classes + c] / Double(n) } }
    var kl = 0.0
    var shares = [Double](repeating: 0, count: classes)
    var confident = 0
    for i in 0..<n {
      let row = p[(i * classes)..<((i + 1) * classes)]
      for (c, value) in zip(0..., row) where value > 0 {
        kl += value * (log(value) - log(max(marginal[c], 1e-300)))
      }
      let best = row.indices.max { row[$0] < row[$1] }! - i * classes
      shares[best] += 1 / Double(n)
      if row.max()! > 0.9 { confident += 1 }
    }
    inceptionScore = exp(kl / Double(n))
    let predicted = probabilities.argmaxLastAxis()
    labelAccuracy = labels.map { labels in
      Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
    }
    labelAccuracyByClass = labels.map { labels in
      (0..<classes).map { c in
        let drawn = labels.indices.filter { labels[$0] == c }
        return drawn.isEmpty
          ? 0 : Double(drawn.filter { predicted[$0] == c }.count) / Double(drawn.count)
      }
    }
    classShares = shares
    confidentShare = Double(confident) / Double(n)
    frechetDistance = SampleQuality.frechet(features, realFeatures)
  }

  /// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), with Tr((Σ₁Σ₂)^½) computed as the sum of square roots
  /// of the eigenvalues of Σ₁^½ Σ₂ Σ₁^½ (symmetric, so Jacobi's method applies).
  static func frechet(_ a: Tensor, _ b: Tensor) -> Double {
    let (muA, covA) = moments(a)
    let (muB, covB) = moments(b)
    let d = muA.count
    let meanTerm = zip(muA, muB).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let (values, vectors) = SymmetricEigen.decompose(covA, d)
    // Σ₁^½ = V diag(√λ) Vᵀ.
    var rootA = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in 0..<d {
        var total = 0.0
        for k in 0..<d {
          total += vectors[i * d + k] * max(values[k], 0).squareRoot() * vectors[j * d + k]
        }
        rootA[i * d + j] = total
      }
    }
    let product = multiply(multiply(rootA, covB, d), rootA, d)
    let traceRoot = SymmetricEigen.decompose(product, d).values.reduce(0) {
      $0 + max($1, 0).squareRoot()
    }
    let traces = (0..<d).reduce(0) { $0 + covA[$1 * d + $1] + covB[$1 * d + $1] }
    return meanTerm + traces - 2 * traceRoot
  }

  static func moments(_ x: Tensor) -> (mean: [Double], covariance: [Double]) {
    let (n, d) = (x.shape[0], x.shape[1])
    let v = x.scalars.map(Double.init)
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<n { for j in 0..<d { mean[j] += v[i * d + j] / Double(n) } }
    var cov = [Double](repeating: 0, count: d * d)
    for i in 0..<n {
      for j in 0..<d {
        let a = v[i * d + j] - mean[j]
        if a == 0 { continue }
        for k in 0..<d { cov[j * d + k] += a * (v[i * d + k] - mean[k]) / Double(max(n - 1, 1)) }
      }
    }
    return (mean, cov)
  }

  static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
    var c = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for k in 0..<d where a[i * d + k] != 0 {
        for j in 0..<d { c[i * d + j] += a[i * d + k] * b[k * d + j] }
      }
    }
    return c
  }
}

/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
enum SymmetricEigen {
  /// - Returns: the eigenvalues and the eigenvectors as the columns of a row-major `d × d` matrix.
  static func decompose(_ matrix: [Double], _ d: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: d * d)
    for i in 0..<d { v[i * d + i] = 1 }
    for _ in 0..<60 {
      var off = 0.0
      for i in 0..<d { for j in (i + 1)..<d { off += a[i * d + j] * a[i * d + j] } }
      if off < 1e-22 { break }
      for p in 0..<d {
        for q in (p + 1)..<d {
          let apq = a[p * d + q]
          if abs(apq) < 1e-300 { continue }
          let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<d {
            let akp = a[k * d + p], akq = a[k * d + q]
            a[k * d + p] = c * akp - s * akq
            a[k * d + q] = s * akp + c * akq
          }
          for k in 0..<d {
            let apk = a[p * d + k], aqk = a[q * d + k]
            a[p * d + k] = c * apk - s * aqk
            a[q * d + k] = s * apk + c * aqk
          }
          for k in 0..<d {
            let vkp = v[k * d + p], vkq = v[k * d + q]
            v[k * d + p] = c * vkp - s * vkq
            v[k * d + q] = s * vkp + c * vkq
          }
        }
      }
    }
    return ((0..<d).map { a[$0 * d + $0] }, v)
  }
}

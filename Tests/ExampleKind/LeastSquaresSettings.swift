import PlaygroundConfig

/// The settings of a ``LeastSquaresRun``: the line, its points and the descent.
struct LeastSquaresSettings: SeededConfig, Equatable {
  /// The true line's slope and intercept.
  var slope = 2.0
  var intercept = -1.0
  /// How many points, and the standard deviation of their noise.
  var points = 64
  var noise = 0.1
  /// The step size of gradient descent, and how many steps.
  var learningRate = 0.1
  var steps = 200
  var seed: UInt64 = 0

  enum CodingKeys: String, CodingKey, CaseIterable {
    case slope, intercept, points, noise
    case learningRate = "learning_rate"
    case steps, seed
  }

  func validate() throws {
    guard slope.isFinite, abs(slope) <= 1e6, intercept.isFinite, abs(intercept) <= 1e6 else {
      throw RunError("slope and intercept must be finite and at most 1e6 in size")
    }
    guard (1...1_000_000).contains(points) else { throw RunError("points must be 1 to 1000000") }
    guard noise.isFinite, (0...1e3).contains(noise) else {
      throw RunError("noise must be 0 to 1000")
    }
    guard learningRate.isFinite, learningRate > 0, learningRate <= 1 else {
      throw RunError("learning_rate must be in (0, 1]")
    }
    guard (1...1_000_000).contains(steps) else { throw RunError("steps must be 1 to 1000000") }
  }
}

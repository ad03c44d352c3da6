/// The one series that tells how a run learned: evaluation return over steps (DQN), Inception
/// Score over epochs (GAN), test accuracy over epochs (classifier) or the smoothed episode
/// return (tabular agents).
public struct LearningCurve: Sendable {
  /// The table it comes from, e.g. `eval.csv`.
  public let file: String
  public let xName: String
  public let yName: String
  public let x: [Double]
  public let y: [Double]

  public init(file: String, xName: String, yName: String, x: [Double], y: [Double]) {
    self.file = file
    self.xName = xName
    self.yName = yName
    self.x = x
    self.y = y
  }

  /// Picks the curve of a run from its tables (file name → table), or `nil` when none fits.
  public static func of(tables: [String: CSVTable]) -> LearningCurve? {
    let candidates: [(String, String, String, Bool)] = [
      ("eval.csv", "step", "mean_return", false),
      ("metrics.csv", "epoch", "inception_score", false),
      ("metrics.csv", "epoch", "test_accuracy", false),
      ("metrics.csv", "episode", "return", true),
      ("metrics.csv", "epoch", "d_loss", false),
    ]
    for (file, xName, yName, smoothed) in candidates {
      guard let table = tables[file], let x = table.numbers(xName), let y = table.numbers(yName),
        y.contains(where: \.isFinite)
      else { continue }
      let pairs = zip(x, y).filter { $0.1.isFinite }
      let values = pairs.map(\.1)
      return LearningCurve(
        file: file, xName: xName, yName: smoothed ? "\(yName) (moving average)" : yName,
        x: pairs.map(\.0),
        y: smoothed ? movingAverage(values, window: max(1, values.count / 50)) : values)
    }
    return nil
  }

  /// The mean of each value and the `window − 1` before it.
  public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
    var sum = 0.0
    return values.indices.map { i in
      sum += values[i]
      if i >= window { sum -= values[i - window] }
      return sum / Double(min(i + 1, window))
    }
  }
}

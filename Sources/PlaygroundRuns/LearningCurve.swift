/// The one series that tells how a run learned, e.g. evaluation return over steps (DQN) or test
/// accuracy over epochs (classifier): each kind names its own (``RunPresentation/curves``).
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

  /// The first of `candidates` that `tables` (file name → table) have, or `nil` when none fits.
  public static func of(tables: [String: CSVTable], candidates: [RunPresentation.CurveSpec])
    -> LearningCurve?
  {
    for spec in candidates {
      guard let table = tables[spec.file], let x = table.numbers(spec.x),
        let y = table.numbers(spec.y), y.contains(where: \.isFinite)
      else { continue }
      let pairs = zip(x, y).filter { $0.1.isFinite }
      let values = pairs.map(\.1)
      return LearningCurve(
        file: spec.file, xName: spec.x,
        yName: spec.smoothed ? "\(spec.y) (moving average)" : spec.y,
        x: pairs.map(\.0),
        y: spec.smoothed ? movingAverage(values, window: max(1, values.count / 50)) : values)
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

import Foundation
import PlaygroundConfig
import PlaygroundKinds
import PlaygroundRandom
import PlaygroundRuns
import Yams

/// A kind of run that lives outside the playground's sources, to show what a new kind is: it
/// fits a line y = slope·x + intercept to noisy points by gradient descent on the mean squared
/// error, and writes `config.yaml`, `metrics.csv` (the loss after each step) and `summary.json`.
/// Registered with `RunKinds.register` (main.swift), it runs through `playground run`, sweeps,
/// `tune`, `list`, `inspect` and `report.html` with no line of the playground changed for it.
///
/// A scenario names it `kind: fit` (`agent: gradient-descent`, the only preset).
struct LeastSquaresRun: NamedRunKind, SettingsRunJob {
  var settings = LeastSquaresSettings()

  init() {}

  init(configAt url: URL) throws {
    settings = try LeastSquaresSettings.read(url, defaults: LeastSquaresSettings())
  }

  static let kind = "least-squares"
  static let family = RunFamily("fit")
  static let label = "fit (example kind)"
  static let presets = [
    RunPreset("gradient-descent", "a line fitted by full-batch gradient descent (example kind)")
  ]
  static let budgetKeys = ["steps": "steps"]
  static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "step", y: "loss")],
    headline: ["final_loss", "slope", "intercept", "steps"])
  static let objectives = [
    RunObjective("final_loss", higherIsBetter: false, progress: ("loss", false), unit: "step")
  ]

  static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(subject: nil, agent: "gradient-descent", overrides: ["steps": "20"])
  }

  /// No data set (the points are drawn from the seed); the preset or a settings file.
  static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> LeastSquaresRun?
  {
    if let subject {
      throw NameError(.subject, "kind fit draws its own points: remove 'dataset: \(subject)'")
    }
    var job = LeastSquaresRun()
    if let agent, agent != "gradient-descent" {
      job.settings = try readAgent(agent, resolve: resolve, defaults: job.settings)
    }
    return job
  }

  var defaultName: String { "fit-line" }

  func validate() throws { try settings.validate() }
  func configYAML() throws -> String { try settings.yaml() }

  func run(in context: RunContext) throws -> URL {
    let started = Date()
    let points = drawPoints()
    let folder = try context.newFolder(for: self)
    return try folder.perform(config: configYAML()) { folder in
      var slope = 0.0
      var intercept = 0.0
      var metrics = MetricsLog(columns: ["step", "loss"])
      for step in 1...settings.steps {
        let (loss, gradient) = Self.lossAndGradient(points, slope: slope, intercept: intercept)
        slope -= settings.learningRate * gradient.slope
        intercept -= settings.learningRate * gradient.intercept
        metrics.append([Double(step), loss])
        if step % 10 == 0 || step == settings.steps {
          try folder.write(metrics: metrics, to: "metrics.csv")
          try context.report(budget: Double(step), ["loss": loss])
        }
      }
      let loss = Self.lossAndGradient(points, slope: slope, intercept: intercept).loss
      var summary = Summary(for: folder)
      summary["seed"] = settings.seed
      summary["final_loss"] = loss
      summary["slope"] = slope
      summary["intercept"] = intercept
      summary["steps"] = settings.steps
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      try folder.write(summary.json(), to: "summary.json")
      context.say(
        String(
          format: "fitted y = %.4f·x %+.4f, loss %.6f — run saved to %@", slope, intercept, loss,
          folder.finalURL.path))
      return folder.finalURL
    }
  }

  /// `settings.points` points x ~ U(−1, 1), y = slope·x + intercept + noise·N(0, 1).
  private func drawPoints() -> [(x: Double, y: Double)] {
    let generator = RandomGenerator(seed: settings.seed)
    return (0..<settings.points).map { _ in
      let x = Double(generator.uniform(in: -1..<1))
      let noise = Double(generator.normal()) * settings.noise
      return (x, settings.slope * x + settings.intercept + noise)
    }
  }

  /// The mean squared error of the line over `points` and its gradient.
  private static func lossAndGradient(
    _ points: [(x: Double, y: Double)], slope: Double, intercept: Double
  ) -> (loss: Double, gradient: (slope: Double, intercept: Double)) {
    var loss = 0.0
    var gradient = (slope: 0.0, intercept: 0.0)
    for point in points {
      let error = slope * point.x + intercept - point.y
      loss += error * error
      gradient.slope += 2 * error * point.x
      gradient.intercept += 2 * error
    }
    let count = Double(points.count)
    return (loss / count, (gradient.slope / count, gradient.intercept / count))
  }
}

import Foundation
import PlaygroundRuns
import PlaygroundTuning

extension StudyRecords {
  /// The study's HParams experiment in `tune/` (``PlaygroundRuns/ExperimentEvents``): its
  /// searched settings with their ranges or choices, the seeds, and its objective first;
  /// nothing when TensorBoard is off.
  func writeExperiment() throws {
    guard scenario.tensorBoard else { return }
    let searched = study.space.parameters.map { parameter -> ExperimentEvents.Setting in
      switch parameter.distribution {
      case .uniform(let low, let high), .logUniform(let low, let high):
        return .interval(parameter.name, low...high)
      case .integer(let low, let high, _):
        return .interval(parameter.name, Double(low)...Double(high))
      case .choice(let values):
        return .values(parameter.name, values)
      }
    }
    try ExperimentEvents.write(
      into: url, settings: searched + [.values("seed", scenario.seeds.map(String.init))],
      presentation: type(of: scenario.job).presentation, objective: study.objective.name)
  }
}

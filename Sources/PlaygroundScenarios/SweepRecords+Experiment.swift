import Foundation
import PlaygroundRuns

extension SweepRecords {
  /// The sweep's HParams experiment in `sweep/` (``PlaygroundRuns/ExperimentEvents``): its
  /// swept settings and seeds with their values; nothing when TensorBoard is off.
  public func writeExperiment() throws {
    guard scenario.tensorBoard, runs.count > 1 else { return }
    var settings: [(key: String, values: [String])] = []
    for run in runs {
      for (key, value) in run.settings + [("seed", String(run.seed))] {
        if let index = settings.firstIndex(where: { $0.key == key }) {
          if !settings[index].values.contains(value) { settings[index].values.append(value) }
        } else {
          settings.append((key, [value]))
        }
      }
    }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try ExperimentEvents.write(
      into: url, settings: settings.map { .values($0.key, $0.values) },
      presentation: type(of: scenario.job).presentation)
  }
}

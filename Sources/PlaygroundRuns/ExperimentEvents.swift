import Foundation
import PlaygroundConfig
import PlaygroundTensorBoard

/// The HParams experiment of a sweep or a tuning study in TensorBoard: an event file in its
/// records folder (`sweep/`, `tune/`) naming the settings that vary and the metrics to list
/// beside them, so that the dashboard's table shows every run (each run writes its own
/// session: ``TensorBoardLogging/on(session:)``).
public enum ExperimentEvents {
  /// One setting that varies: the values it takes (as YAML text), or the interval of a study's
  /// numeric range.
  public enum Setting {
    case values(String, [String])
    case interval(String, ClosedRange<Double>)
  }

  /// Writes the experiment into `folder` unless an event file is there already (a sweep run
  /// again). The metrics are the runs' curve and headline figures (`summary/<key>`), and
  /// `objective` first when given.
  public static func write(
    into folder: URL, settings: [Setting], presentation: RunPresentation, objective: String? = nil
  ) throws {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    guard !names.contains(where: EventFile.isEventFile) else { return }
    let hparams = settings.map { setting -> (name: String, domain: HParamDomain) in
      switch setting {
      case .values(let name, let values):
        return (name, .values(values.map(HParamValue.init(reading:))))
      case .interval(let name, let range): return (name, .interval(range))
      }
    }
    var metrics: [(tag: String, displayName: String)] = []
    func add(_ tag: String, _ name: String) {
      if !metrics.contains(where: { $0.tag == tag }) { metrics.append((tag, name)) }
    }
    if let objective { add("summary/\(objective)", objective) }
    for key in presentation.headline { add("summary/\(key)", key) }
    for curve in presentation.curves {
      add(RunEvents.tag(curve.y, of: curve.file), "\(curve.y) (curve)")
    }
    do {
      let file = try EventFile(in: folder)
      defer { file.close() }
      try file.writeExperiment(HParamsExperiment(hparams: hparams, metrics: metrics))
    } catch let error as EventFileError {
      throw RunError(error.description)
    }
  }
}

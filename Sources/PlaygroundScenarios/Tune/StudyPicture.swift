import Foundation
import PlaygroundImage
import PlaygroundTuning

/// `tune.png`: the objective of each trial (complete trials as dots, pruned ones as crosses)
/// with the running best, then one panel per searched setting against the objective.
struct StudyPicture {
  let records: StudyRecords
  let trials: [TrialRecord]

  var study: StudySettings { records.study }

  /// The y of a trial: its objective, or for a pruned trial its last figure when that figure
  /// is the objective's own running value, else the worst objective seen (drawn at the floor).
  func point(_ trial: TrialRecord, floor: Double) -> Double? {
    switch trial.state {
    case .complete: return trial.value ?? floor
    case .pruned: return prunedAtFloor ? floor : trial.reports.last?.value
    case .running, .failed, .interrupted: return nil
    }
  }

  /// Whether pruned trials' last figures are not the objective's running value (then they are
  /// drawn at the worst objective).
  var prunedAtFloor: Bool {
    let objective = study.objective
    guard let progress = objective.progress else { return true }
    return progress.name != objective.name && "final_" + progress.name != objective.name
  }

  func render() -> Image {
    let values = trials.compactMap { $0.state == .complete ? $0.value : nil }
    let floor = values.max { study.goal.isBetter($0, than: $1) } ?? 0
    let complete = trials.filter { $0.state == .complete }
    let pruned = trials.filter { $0.state == .pruned }
    var best: [(x: Double, y: Double)] = []
    var running: Double?
    for trial in trials where trial.state == .complete {
      if let value = trial.value, running == nil || study.goal.isBetter(value, than: running!) {
        // A staircase: the old best up to this trial, then the new one.
        if let running { best.append((Double(trial.number), running)) }
        running = value
      }
      if let running { best.append((Double(trial.number), running)) }
    }
    let name = study.objective.name.uppercased().replacingOccurrences(of: "_", with: " ")
    var overview = LineChart(
      title: "\(records.scenario.name.uppercased()): \(trials.count) TRIALS", xLabel: "TRIAL",
      yLabel: name,
      series: [
        .init(name: "best so far", color: LineChart.palette[2], points: best),
        .init(
          name: "complete", color: LineChart.palette[0],
          points: complete.compactMap { t in point(t, floor: floor).map { (Double(t.number), $0) }
          },
          marker: .dot),
        .init(
          name: prunedAtFloor ? "pruned (drawn at the worst)" : "pruned (at their last figure)",
          color: LineChart.palette[3],
          points: pruned.compactMap { t in point(t, floor: floor).map { (Double(t.number), $0) } },
          marker: .cross),
      ])
    overview.width = 640
    overview.height = 360
    let panels = study.space.parameters.map { panel($0, floor: floor) }
    let rows = (panels.count + 1) / 2
    var image = Image(width: 640, height: 360 + rows * 260, fill: [255, 255, 255])
    image.draw(overview.render(), atX: 0, y: 0)
    for (index, panel) in panels.enumerated() {
      image.draw(panel, atX: (index % 2) * 320, y: 360 + (index / 2) * 260)
    }
    return image
  }

  /// One setting against the objective (log settings on a log₁₀ axis, choices by index).
  func panel(_ parameter: SearchSpace.Parameter, floor: Double) -> Image {
    func x(_ trial: TrialRecord) -> Double? {
      guard let value = trial.parameters[parameter.name] else { return nil }
      switch parameter.distribution {
      case .logUniform, .integer(_, _, true): return log10(value)
      default: return value
      }
    }
    func points(_ state: TrialRecord.State) -> [(x: Double, y: Double)] {
      trials.filter { $0.state == state }.compactMap { trial in
        guard let x = x(trial), let y = point(trial, floor: floor) else { return nil }
        return (x, y)
      }
    }
    let scale: String
    switch parameter.distribution {
    case .logUniform, .integer(_, _, true): scale = "LOG10 "
    case .choice(let values):
      scale = "CHOICE 0-\(values.count - 1) OF "
    default: scale = ""
    }
    var chart = LineChart(
      title: parameter.name.uppercased().replacingOccurrences(of: "_", with: " "),
      xLabel: scale + parameter.name.uppercased().replacingOccurrences(of: "_", with: " "),
      yLabel: "",
      series: [
        .init(name: "", color: LineChart.palette[0], points: points(.complete), marker: .dot),
        .init(name: "", color: LineChart.palette[3], points: points(.pruned), marker: .cross),
      ])
    switch parameter.distribution {
    case .choice(let values): chart.xRange = -0.5...(Double(values.count) - 0.5)
    case .integer(let low, let high, true): chart.xRange = log10(Double(low))...log10(Double(high))
    case .integer(let low, let high, false): chart.xRange = Double(low)...Double(high)
    case .logUniform(let low, let high): chart.xRange = log10(low)...log10(high)
    case .uniform(let low, let high): chart.xRange = low...high
    }
    chart.width = 320
    chart.height = 260
    return chart.render()
  }
}

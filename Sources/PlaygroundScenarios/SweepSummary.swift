import Foundation
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns

/// The aggregate of a sweep: `sweep.csv` (one row per run: its settings, seed, status, folder
/// and headline figures) and `sweep.png` (per setting, the mean learning curve over seeds with
/// a band of ± one standard deviation).
public struct SweepSummary {
  public let scenario: Scenario
  public let runs: [Scenario.Run]
  /// The state of each run by index.
  public let entries: [Int: SweepState.Entry]
  /// The scenario's folder, `<output_dir>/<name>/`.
  public let folder: URL

  /// `sweep.csv`.
  public func csv() -> String {
    let records = runs.map { run -> RunRecord? in
      guard let entry = entries[run.index], entry.status.isDone, let path = entry.run
      else { return nil }
      return try? RunRecord(folder.appendingPathComponent(path), known: RunKinds.presentations)
    }
    let keys = headlineKeys.filter { key in
      records.contains { $0?.summary[key] != nil && !($0?.summary[key] is NSNull) }
    }
    let settingKeys = runs.first?.settings.map(\.key) ?? []
    var lines = [
      (["job"] + settingKeys + ["seed", "status", "run"] + keys).joined(separator: ",")
    ]
    for (run, record) in zip(runs, records) {
      let entry = entries[run.index]
      var row = [String(run.index)] + run.settings.map(\.value) + [String(run.seed)]
      row += [entry?.status.rawValue ?? "pending", entry?.run ?? ""]
      row += keys.map { key in
        record?.summary[key].flatMap { $0 is NSNull ? nil : RunRecord.format($0) } ?? ""
      }
      lines.append(row.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The headline figures of its jobs' kinds, the first job's first.
  var headlineKeys: [String] {
    var keys: [String] = []
    for job in scenario.jobs {
      for key in type(of: job).presentation.headline where !keys.contains(key) { keys.append(key) }
    }
    return keys
  }

  /// `sweep.png`: the learning curves, the kind's bars, and for kinds that make a picture (a
  /// generator's sample sheet) each setting's picture with its figures; `nil` when there is
  /// nothing to draw.
  public func chart() -> Image? {
    let records = finishedRecords()
    let parts = [curveChart(records), barChart(records), SweepGallery(records: records).render()]
      .compactMap { $0 }
    guard !parts.isEmpty else { return nil }
    var picture = Image(
      width: parts.map(\.width).max()!, height: parts.map(\.height).reduce(0, +),
      fill: [255, 255, 255])
    var y = 0
    for part in parts {
      picture.draw(part, atX: 0, y: y)
      y += part.height
    }
    return picture
  }

  /// Per setting, the mean learning curve over its seeds with a band of ± one standard
  /// deviation; `nil` when no finished run has a curve, or the settings' curves are of
  /// different measures (kinds compared side by side).
  func curveChart(_ records: [(label: String, record: RunRecord)]) -> Image? {
    let groups = Self.grouped(records) { $0.curve }
    guard let first = groups.first?.values.first,
      groups.allSatisfy({
        $0.values.allSatisfy { $0.xName == first.xName && $0.yName == first.yName }
      })
    else { return nil }
    let name = (x: first.xName, y: first.yName)
    let series = groups.enumerated().map { k, group -> LineChart.Series in
      let spread = Self.spread(group.values)
      return LineChart.Series(
        name: "\(group.label) (\(group.values.count) seeds)",
        color: LineChart.palette[k % LineChart.palette.count],
        points: spread.map { ($0.x, $0.mean) },
        band: group.values.count > 1
          ? spread.map { ($0.x, $0.mean - $0.std, $0.mean + $0.std) } : [])
    }
    var chart = LineChart(
      title: scenario.name.uppercased(), xLabel: name.x.uppercased(),
      yLabel: "\(name.y.uppercased()), MEAN +/- STD OVER SEEDS", series: series)
    chart.width = 800
    chart.height = 480
    return chart.render()
  }

  /// The kind's figure per category (``RunPresentation/bars``), one bar per setting (the mean
  /// over its finished seeds) in each category; `nil` when the kind has none.
  func barChart(_ records: [(label: String, record: RunRecord)]) -> Image? {
    let groups = Self.grouped(records) { $0.bars }
    guard let names = groups.first?.values.first else { return nil }
    let series = groups.enumerated().map { k, group in
      BarChart.Series(
        name: "\(group.label) (\(group.values.count) seeds)",
        color: LineChart.palette[k % LineChart.palette.count],
        values: names.categories.indices.map { c in
          let values = group.values.map(\.values).compactMap { c < $0.count ? $0[c] : nil }
            .filter { !$0.isNaN }
          return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        })
    }
    var chart = BarChart(
      title: names.key.replacingOccurrences(of: "_", with: " ").uppercased(),
      valueLabel: "MEAN OVER SEEDS", categories: names.categories, series: series)
    chart.height = 360
    return chart.render()
  }

  /// The records of the finished runs, each with its setting's label, in run order.
  func finishedRecords() -> [(label: String, record: RunRecord)] {
    runs.compactMap { run in
      guard let entry = entries[run.index], entry.status == .finished, let path = entry.run,
        let record = try? RunRecord(
          folder.appendingPathComponent(path), known: RunKinds.presentations)
      else { return nil }
      return (run.settingLabel, record)
    }
  }

  /// `value` of each record that has one, grouped by setting in the order settings first appear.
  static func grouped<Value>(
    _ records: [(label: String, record: RunRecord)], _ value: (RunRecord) -> Value?
  ) -> [(label: String, values: [Value])] {
    var groups: [(label: String, values: [Value])] = []
    for (label, record) in records {
      guard let found = value(record) else { continue }
      if let k = groups.firstIndex(where: { $0.label == label }) {
        groups[k].values.append(found)
      } else {
        groups.append((label, [found]))
      }
    }
    return groups
  }

  /// Mean and standard deviation across curves on the union of their x values; a curve that
  /// ended (e.g. a DQN run stopped once solved) keeps its last value.
  static func spread(_ curves: [LearningCurve]) -> [(x: Double, mean: Double, std: Double)] {
    let xs = Array(Set(curves.flatMap(\.x))).sorted()
    return xs.compactMap { x in
      let values = curves.compactMap { curve -> Double? in
        guard let last = curve.x.lastIndex(where: { $0 <= x }) else { return nil }
        return curve.y[last]
      }
      guard !values.isEmpty else { return nil }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
      return (x, mean, variance.squareRoot())
    }
  }
}

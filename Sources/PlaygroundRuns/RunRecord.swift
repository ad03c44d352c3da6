import Foundation
import PlaygroundConfig

/// A run folder read back — its config, summary, tables and pictures — for `report.html`,
/// `playground inspect` and sweeps.
public struct RunRecord {
  public let url: URL
  /// `config.yaml` as written.
  public let config: String
  /// `summary.json`, empty when the run never finished writing it.
  public let summary: [String: Any]
  /// The CSV tables by file name (`metrics.csv`, `eval.csv`).
  public let tables: [String: CSVTable]
  /// Every PNG, relative to the folder, sorted (subfolders after the top level).
  public let pictures: [String]

  /// Its curve and headline keys: as its `summary.json` states them, else the first of the
  /// known kinds' whose curve its tables have (runs written before summaries held them).
  public let presentation: RunPresentation?

  /// Reads the run at `url` (a symbolic link such as `latest` is followed).
  /// - Parameter known: the presentations of every kind, for runs whose summary has none.
  /// - Throws: ``RunError`` when `url` is not a run folder.
  public init(_ url: URL, known: [RunPresentation] = []) throws {
    let manager = FileManager.default
    let folder = url.resolvingSymlinksInPath()
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
      throw RunError("\(url.path): no such file or folder")
    }
    guard isFolder.boolValue,
      let config = try? String(
        contentsOf: folder.appendingPathComponent("config.yaml"), encoding: .utf8)
    else {
      throw RunError(
        "\(url.path) is not a run folder (no config.yaml): pass outputs/<scenario>/<run-id> or outputs/<scenario>/latest"
      )
    }
    self.url = folder
    self.config = config
    summary = (try? Summary.read(folder.appendingPathComponent("summary.json"))) ?? [:]
    var tables: [String: CSVTable] = [:]
    for name in ["metrics.csv", "eval.csv"] {
      tables[name] = CSVTable.read(folder.appendingPathComponent(name))
    }
    self.tables = tables
    presentation =
      RunPresentation(json: summary["presentation"])
      ?? known.first { LearningCurve.of(tables: tables, candidates: $0.curves) != nil }
    let files = (manager.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
    pictures = files.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }.sorted {
      ($0.contains("/") ? 1 : 0, $0) < ($1.contains("/") ? 1 : 0, $1)
    }
  }

  /// `outputs/<scenario>/`'s name.
  public var scenario: String {
    summary["scenario"] as? String ?? url.deletingLastPathComponent().lastPathComponent
  }
  public var runID: String { summary["run_id"] as? String ?? url.lastPathComponent }
  public var seed: String { (summary["seed"]).map { "\($0)" } ?? "?" }

  /// `finished` or `interrupted` from the summary; `failed` when there is none (a crash, or a
  /// staging folder left behind).
  public var status: RunStatus {
    (summary["status"] as? String).flatMap(RunStatus.init(rawValue:)) ?? .failed
  }

  /// The headline figures: the presentation's keys present in the summary, formatted.
  public var headline: [(key: String, value: String)] {
    (presentation?.headline ?? []).compactMap { key in
      guard let value = summary[key], !(value is NSNull) else { return nil }
      return (key, Self.format(value))
    }
  }

  /// The run's figure per category (``RunPresentation/bars``): the values' key, the names and
  /// the values (NaN where the summary has none); `nil` when the kind declares none.
  public var bars: (key: String, categories: [String], values: [Double])? {
    guard let spec = presentation?.bars,
      let values = summary[spec.values] as? [Any]
    else { return nil }
    let numbers = values.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    let names = summary[spec.categories] as? [String] ?? numbers.indices.map(String.init)
    return (spec.values, names, numbers)
  }

  public var curve: LearningCurve? {
    LearningCurve.of(tables: tables, candidates: presentation?.curves ?? [])
  }

  /// Numbers with up to 4 significant digits, booleans and strings as they are.
  public static func format(_ value: Any) -> String {
    if let number = value as? NSNumber {
      if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
      let double = number.doubleValue
      if double == double.rounded(), abs(double) < 1e12 { return String(Int64(double)) }
      return String(format: "%.4g", double)
    }
    return "\(value)"
  }

  /// `config.yaml` as `section.key → value` pairs, for comparing two runs.
  public var flatConfig: [(key: String, value: String)] {
    var section = ""
    var pairs: [(String, String)] = []
    for line in config.split(separator: "\n") where !line.hasPrefix("#") {
      let indented = line.hasPrefix(" ")
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard let colon = trimmed.firstIndex(of: ":") else { continue }
      let key = String(trimmed[..<colon])
      let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if !indented && value.isEmpty {
        section = key + "."
        continue
      }
      pairs.append(((indented ? section : "") + key, value))
      if !indented { section = "" }
    }
    return pairs
  }
}

import Foundation
import PlaygroundConfig
import PlaygroundFiles

/// `summary.json`: the final figures of a run, its wall time and the versions it ran with.
public struct Summary {
  public private(set) var values: [String: Any] = [:]

  public init() {}

  /// A run's summary with the fields every run shares: scenario, kind, run id, status, how it is
  /// presented (its curve and headline keys) and the versions it ran with (`extraVersions` adds
  /// e.g. the OpenBLAS core).
  public init(
    for folder: RunFolder, status: RunStatus = .finished, extraVersions: [String: String] = [:]
  ) {
    values["scenario"] = folder.scenario
    if let kind = folder.kind { values["kind"] = kind }
    values["run_id"] = folder.runID
    values["status"] = status.rawValue
    values["presentation"] = folder.presentation.json
    values["versions"] = ["playground": Versions.playground, "swift": Versions.swift].merging(
      extraVersions
    ) { $1 }
  }

  public subscript(key: String) -> Any? {
    get { values[key] }
    set { values[key] = newValue }
  }

  /// Pretty-printed JSON with sorted keys; a figure that is NaN or infinite (JSON has no such
  /// number) is `null`.
  public func json() throws -> Data {
    var data = try JSONSerialization.data(
      withJSONObject: Self.finite(values), options: [.prettyPrinted, .sortedKeys])
    data.append(0x0A)
    return data
  }

  /// `value` with every NaN or infinite number, however deep, replaced by `null`.
  public static func finite(_ value: Any) -> Any {
    switch value {
    case let number as Double where !number.isFinite: return NSNull()
    case let number as Float where !number.isFinite: return NSNull()
    case let object as [String: Any]: return object.mapValues(finite)
    case let array as [Any]: return array.map(finite)
    default: return value
    }
  }

  /// Reads a summary written by ``json()``.
  public static func read(_ url: URL) throws -> [String: Any] {
    guard
      let data = try? UserFile.read(
        url, what: "summary", maximumBytes: RunFolder.maximumRecordBytes),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw RunError("\(url.path) is not a readable summary.json") }
    return object
  }
}

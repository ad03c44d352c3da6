import Foundation
import PlaygroundFiles
import PlaygroundRuns

/// `<output_dir>/<name>/sweep/state.json`: what became of each run of a sweep, so that running
/// the scenario again redoes only the runs that did not finish.
public struct SweepState: Codable {
  public struct Entry: Codable, Equatable {
    public var label: String
    /// SHA-256 of the run's `config.yaml` text: a changed scenario is not taken for done.
    public var config: String
    public var status: RunStatus
    /// The run folder relative to the scenario's folder, once it exists.
    public var run: String?
    /// The last line the run printed on failure.
    public var message: String?
  }

  public var scenario: String
  /// By run index, as text (JSON object keys).
  public var entries: [String: Entry] = [:]

  public init(scenario: String) {
    self.scenario = scenario
  }

  public static func read(_ url: URL, scenario: String) -> SweepState {
    guard
      let data = try? UserFile.read(
        url, what: "sweep state", maximumBytes: RunFolder.maximumRecordBytes),
      let state = try? JSONDecoder().decode(SweepState.self, from: data)
    else { return SweepState(scenario: scenario) }
    return state
  }

  public func write(_ url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try encoder.encode(self).write(to: url, options: .atomic)
  }

  /// Whether run `index` with config hash `config` finished (or diverged: a result too) and its
  /// folder is still there.
  public func isDone(_ index: Int, config: String, in folder: URL) -> Bool {
    guard let entry = entries[String(index)], entry.status.isDone, entry.config == config,
      let run = entry.run
    else { return false }
    return FileManager.default.fileExists(
      atPath: folder.appendingPathComponent(run).appendingPathComponent("summary.json").path)
  }
}

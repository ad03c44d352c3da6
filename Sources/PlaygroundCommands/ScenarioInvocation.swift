import Foundation
import PlaygroundConfig
import PlaygroundScenarios

/// What `playground run` and `playground tune` do alike with the scenario a user names: find it
/// (a path, or a built-in scenario's name), read it with `--set` and `--output-dir`, and pass
/// the same on to the processes that run its parts.
enum ScenarioInvocation {
  /// The scenario `name` names, read and checked.
  /// - Throws: ``RunError`` when there is no such file, ``ScenarioProblems`` when it is bad.
  static func read(
    _ name: String, settings: [String], outputDir: String?, noTensorBoard: Bool = false
  ) throws -> (file: URL, scenario: Scenario) {
    guard let file = ScenarioCatalog.scenario(name) else {
      throw RunError(
        "no scenario file \(name): pass a .yaml path or a built-in name (see 'playground list')")
    }
    var scenario = try ScenarioFile.read(file, settings: settings)
    if let outputDir { scenario.outputDirectory = URL(fileURLWithPath: outputDir) }
    if noTensorBoard { scenario.tensorBoard = false }
    return (file, scenario)
  }

  /// `--output-dir`, every `--set`, `--data-dir` (with absolute paths) and `--no-tensorboard`,
  /// for a child process.
  static func passedOn(
    settings: [String], dataDir: String?, outputDirectory: URL, tensorBoard: Bool
  ) -> [String] {
    var arguments = ["--output-dir", outputDirectory.standardizedFileURL.path]
    if !tensorBoard { arguments.append("--no-tensorboard") }
    for setting in settings { arguments += ["--set", setting] }
    if let dataDir {
      arguments += ["--data-dir", URL(fileURLWithPath: dataDir).standardizedFileURL.path]
    }
    return arguments
  }
}

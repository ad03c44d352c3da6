import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios
import Yams

extension RunCommand {
  /// `playground run RUN_DIR/config.yaml`: a run's own settings — its seed, backend and threads
  /// included — run again alone, into `<output-dir>/<the kind's default name>/`, with `--set`
  /// over them. Any kind's run folder reads back this way (the kind is told from the file).
  /// - Returns: `false` when the argument is no run's `config.yaml` (a scenario file, which has
  ///   a `kind:` or `compare:`, or a built-in scenario's name).
  func runConfigIfGiven() throws -> Bool {
    let url = URL(fileURLWithPath: scenario)
    guard url.pathExtension == "yaml" || url.pathExtension == "yml",
      let text = try? TextFile.read(url, what: "scenario"),
      let mapping = (try? Yams.compose(yaml: text))??.mapping, mapping["kind"] == nil,
      mapping["compare"] == nil,
      url.lastPathComponent == "config.yaml" || mapping["name"] == nil
    else { return false }
    if let job { throw RunError("--job \(job) picks a run of a scenario; \(url.path) is one run") }
    var job = try RunKinds.job(configAt: url)
    if !settings.isEmpty {
      var overrides = Node.Mapping([])
      for setting in settings {
        guard let (key, value) = ScenarioFile.commandLineSetting(setting) else {
          throw RunError("--set \(setting): write KEY=VALUE, e.g. --set learning_rate=0.001")
        }
        overrides[Node(key)] = value
      }
      job = try job.applying(overrides, source: "--set")
    }
    try job.validate()
    _ = try job.run(
      in: {
        var context = RunContext(
          scenario: job.defaultName, outputDirectory: URL(fileURLWithPath: outputDir ?? "outputs"),
          sources: DataSources.fromEnvironment(dataDirectory: data.dataDir), quiet: quiet)
        context.tensorBoard = !noTensorBoard
        return context
      }())
    return true
  }
}

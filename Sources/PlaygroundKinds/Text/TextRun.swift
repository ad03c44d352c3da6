import Foundation
import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns
import Yams

/// One `playground text` run: a character-level language model learns a corpus of short items
/// (by default the 1990 US census surnames) and writes new ones letter by letter. Writes
/// `config.yaml`, `metrics.csv` (per epoch: training and validation loss in nats per character
/// beside the bigram floor), `samples.txt` (new items, those copying a training item marked),
/// `learning_curve.png`, `model.safetensors` and `summary.json`.
public struct TextRun: NamedRunKind, ComputeRunJob {
  public var config: TextConfig

  public init(config: TextConfig) {
    self.config = config
  }

  public init(configAt url: URL) throws {
    config = try TextConfig.read(url, defaults: TextConfig())
  }

  public static let kind = "text"
  public static let family = RunFamily.text
  public static let label = "text"
  public static let subjectNames = ["names"]
  public static let presets = [
    RunPreset("lstm", "embedding 32 → LSTM(128) → Dense, letter by letter (agents/char-lstm.yaml)"),
    RunPreset("gru", "the same with a GRU"),
    RunPreset("bigram", "character-pair counts, add-one smoothed: the floor to beat"),
  ]
  public static let budgetKeys = ["epochs": "epochs", "minutes": "minutes"]

  /// Ten surnames written to `scratch`, one epoch.
  public static func smokeTest(scratch: URL) throws -> SmokeTest {
    let corpus = scratch.appendingPathComponent("names.txt")
    try "smith\njohnson\nwilliams\nbrown\njones\nmiller\ndavis\ngarcia\nrodriguez\nwilson\n"
      .write(to: corpus, atomically: true, encoding: .utf8)
    return SmokeTest(
      subject: "names", agent: "lstm",
      overrides: ["data": corpus.path, "epochs": "1", "minutes": "0", "batch_size": "4"])
  }
  public static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "step", y: "valid_loss")],
    headline: [
      "valid_nats_per_char", "bigram_nats_per_char", "novel_share", "steps", "train_seconds",
    ])

  /// The validation loss in nats per character, pruned on each epoch's.
  public static let objectives = [
    RunObjective(
      "valid_nats_per_char", higherIsBetter: false, progress: ("valid_nats_per_char", false),
      unit: "epoch")
  ]

  public var settings: TextConfig {
    get { config }
    set { config = newValue }
  }

  public var defaultName: String {
    config.data == "names"
      ? "text-names"
      : "text-\(URL(fileURLWithPath: config.data).deletingPathExtension().lastPathComponent)"
  }

  /// `dataset:` names the corpus (`names`, or a file); `agent:` the model or a settings file.
  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> TextRun?
  {
    var config = TextConfig()
    switch agent {
    case nil: break
    case let name? where TextModelKind(rawValue: name) != nil:
      config = .preset(TextModelKind(rawValue: name)!)
    case let path?: config = try readAgent(path, resolve: resolve, defaults: config)
    }
    if let subject, subject != "names" {
      guard let url = resolve(subject) else {
        throw NameError(
          .subject,
          "unknown dataset '\(subject)' for kind text: use names or the path of a text file")
      }
      config.data = url.path
    }
    return TextRun(config: config)
  }

  public func runResolved(in context: RunContext) throws -> URL {
    let started = Date()
    try config.validate()
    let data = try TextData(config: config, sources: context.sources)
    let length = (data.train + data.valid).map(\.count).max() ?? 0
    try MemoryBudget.check(
      config.estimatedBytes(vocabulary: data.vocabulary.size, length: length),
      for: "this \(config.model.rawValue) model on items of up to \(length) characters",
      lower: "batch_size, hidden_units or embedding_size")
    context.progress(
      "\(data.train.count) training and \(data.valid.count) validation items from \(data.source), \(data.vocabulary.size - 1) characters; bigram floor \(String(format: "%.4f", data.bigramLoss)) nats/char"
    )
    let folder = try context.newFolder(for: self)
    let outcome = try folder.perform(config: config.yaml()) { folder in
      var trainer = TextTrainer(config: config, data: data, context: context)
      let outcome = try trainer.train(into: folder)
      try record(outcome, data: data, in: folder, started: started)
      return outcome
    }
    context.say(
      String(
        format:
          "validation %.4f nats/char (bigram floor %.4f) after %d steps, %.0f%% of %d samples new — run saved to %@",
        outcome.validLoss, data.bigramLoss, outcome.steps, outcome.novelShare * 100,
        outcome.samples.count, folder.finalURL.path))
    return folder.finalURL
  }

  /// `samples.txt`, `learning_curve.png`, the model and `summary.json`.
  private func record(
    _ outcome: TextTrainer.Outcome, data: TextData, in folder: RunFolder, started: Date
  ) throws {
    let known = Set(data.trainText)
    var lines = [
      "# \(outcome.samples.count) samples at temperature \(config.temperature); \"(in the training set)\" marks a copy"
    ]
    for sample in outcome.samples {
      lines.append(known.contains(sample) ? "\(sample)  (in the training set)" : sample)
    }
    try folder.write(lines.joined(separator: "\n") + "\n", to: "samples.txt")
    try folder.write(picture: outcome.chart(bigram: data.bigramLoss), to: "learning_curve.png")
    try outcome.save(to: folder.url(for: "model.safetensors"), config: config.yaml())
    var summary = Summary(for: folder, extraVersions: Compute.versions(of: Compute.settings))
    summary["seed"] = config.seed
    summary["model"] = config.model.rawValue
    summary["data"] = data.source
    summary["train_items"] = data.train.count
    summary["valid_items"] = data.valid.count
    summary["vocabulary"] = data.vocabulary.text
    summary["valid_nats_per_char"] = outcome.validLoss
    summary["bigram_nats_per_char"] = data.bigramLoss
    summary["novel_share"] = outcome.novelShare
    summary["samples"] = outcome.samples.count
    summary["epochs"] = outcome.epochs
    summary["steps"] = outcome.steps
    summary["train_seconds"] = outcome.trainSeconds
    summary["steps_per_second"] = Double(outcome.steps) / max(outcome.trainSeconds, 1e-9)
    summary["wall_seconds"] = Date().timeIntervalSince(started)
    try folder.write(summary.json(), to: "summary.json")
  }
}

import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundGenerative
import PlaygroundKinds

extension TextModelKind: ExpressibleByArgument {}

/// `playground text …`: character-level language models that write new names.
struct TextCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text",
    abstract: "Train a character-level model that writes new names letter by letter; sample it.",
    discussion: """
      Examples:
        playground text names                        # an LSTM on 88,799 census surnames, 2.5 minutes
        playground text names --model gru --minutes 1
        playground text names --model bigram         # the floor to beat
        playground text names --data my-words.txt --epochs 20
        playground text sample --checkpoint outputs/text-names/latest/model.safetensors --prefix mc
      """,
    subcommands: [TextNamesCommand.self, TextSampleCommand.self],
    defaultSubcommand: TextNamesCommand.self)
}

/// `playground text names`.
struct TextNamesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "names",
    abstract: "Train on the census surnames (or --data FILE, one item per line).",
    discussion: """
      Default: embedding 32 → LSTM(128) → Dense over the characters, batch 64, Adam 3e-3, global-norm clipping 1.0, 2.5 minutes — the anchor shared/anchors/torch_char_rnn_names.py. 10% of the items are held out (the same items for every seed). The run folder gets metrics.csv (per epoch: training and validation loss in nats per character beside the bigram floor), samples.txt (copies of training items marked), learning_curve.png, model.safetensors, config.yaml and summary.json.

      'playground text names' is the same as 'playground run scenarios/text-names.yaml'.
      """)

  @Option(help: "lstm, gru, or bigram (the baseline).")
  var model: TextModelKind?

  @Option(help: "A text file with one item per line instead of the census surnames.")
  var data: String?

  // Numbers are read as given, so that a negative one is refused with its range rather than
  // taken for a missing value.
  @Option(
    parsing: .unconditional,
    help: "Passes over the training items (then no time limit unless --minutes).")
  var epochs: Int?

  @Option(
    parsing: .unconditional,
    help: "Training time budget in minutes (then no epoch limit unless --epochs).")
  var minutes: Double?

  @Option(parsing: .unconditional, help: "Sampling temperature for samples.txt.")
  var temperature: Double?

  @Option(help: "Settings from a YAML file (agents/char-lstm.yaml, or a run's config.yaml).")
  var config: String?

  @OptionGroup var runOptions: RunOptions
  @OptionGroup var compute: ComputeOptions

  func job() throws -> TextRun {
    var base = TextRun(config: model.map { TextConfig.preset($0) } ?? TextConfig())
    if let config { base = try TextRun(configAt: URL(fileURLWithPath: config)) }
    var overrides = Overrides()
    overrides["model"] = model?.rawValue
    overrides["data"] = data
    if epochs != nil || minutes != nil {
      overrides["epochs"] = epochs ?? 0
      overrides["minutes"] = minutes ?? 0
    }
    overrides["temperature"] = temperature
    overrides["seed"] = runOptions.seed
    compute.add(to: &overrides)
    return try overrides.applied(to: base)
  }

  func run() throws {
    let job = try job()
    _ = try job.run(in: runOptions.context(for: job))
  }
}

/// `playground text sample --checkpoint FILE`.
struct TextSampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Print new items from a saved text model, one per line.",
    discussion: """
      Examples:
        playground text sample --checkpoint outputs/text-names/latest/model.safetensors
        playground text sample --checkpoint model.safetensors --count 5 --temperature 0.7 --prefix mc
      """)

  @Option(help: "A model.safetensors written by playground text.")
  var checkpoint: String

  @Option(help: "How many items.")
  var count = 10

  @Option(help: "Below 1 sharper, above 1 more adventurous, 0 always the likeliest character.")
  var temperature = 1.0

  @Option(help: "The beginning of every item.")
  var prefix = ""

  @Option(help: "The seed of the draws.")
  var seed: UInt64 = 0

  func validate() throws {
    guard (1...10_000).contains(count) else {
      throw ValidationError("--count must be 1–10000, got \(count)")
    }
    guard temperature >= 0, temperature.isFinite else {
      throw ValidationError("--temperature must be a non-negative number, got \(temperature)")
    }
    // Items are at most 24 characters; a longer prefix only costs time (100,000 took minutes).
    guard prefix.count <= 100 else {
      throw ValidationError("--prefix must be at most 100 characters, got \(prefix.count)")
    }
  }

  func run() throws {
    let items = try TextSampler.sample(
      checkpoint: URL(fileURLWithPath: checkpoint), count: count, temperature: temperature,
      prefix: prefix, seed: seed)
    for item in items { print(item) }
  }
}

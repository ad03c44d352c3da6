import Foundation
import PlaygroundCore
import PlaygroundData
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns

/// One `playground classify` run from settings to run folder: load the data, train (or load a
/// checkpoint), evaluate on the test split, and write `config.yaml`, `metrics.csv`,
/// `confusion.png`, `mistakes.png`, `model.safetensors` and `summary.json`.
public struct ClassifierRun {
  public var config: ClassifierConfig
  public var sources: DataSources
  /// The folder that holds `<scenario>/<run-id>/`, usually `outputs`.
  public var outputDirectory: URL
  /// Only the final line; no progress.
  public var quiet = false
  /// Evaluate this saved model instead of training.
  public var checkpoint: URL?

  public init(config: ClassifierConfig, sources: DataSources, outputDirectory: URL) {
    self.config = config
    self.sources = sources
    self.outputDirectory = outputDirectory
    scenario = "classify-\(config.dataset.rawValue)"
  }

  /// The folder under the output directory: `classify-<dataset>` unless a scenario names another.
  public var scenario: String

  /// Runs and returns the committed run folder. Everything that can be checked is checked
  /// before the run folder is created; a failure later removes it.
  @discardableResult
  public func run(print say: (String) -> Void = { Swift.print($0) }) throws -> RunFolder {
    let started = Date()
    try config.validate()
    var config = self.config
    var checkpointContents: SafeTensors.Contents?
    if let checkpoint {
      let contents = try SafeTensors.read(from: checkpoint)
      if let saved = contents.metadata["config"] {
        // The architecture comes from the checkpoint; the data set from this run.
        var stored = try ClassifierConfig.decode(
          yaml: saved, source: checkpoint.path, defaults: config)
        stored.dataset = config.dataset
        config = stored
      }
      checkpointContents = contents
    }
    let dataset = try DatasetLoader(sources: sources).load(config.dataset) { if !quiet { say($0) } }
    var train = dataset.train.images
    if config.trainLimit > 0, config.trainLimit < train.count {
      // A seeded random subset, in file order: files sorted by label (like the MNIST subset)
      // would otherwise give only the first classes.
      let picked = RandomGenerator(seed: config.seed).derived(stream: 9).permutation(train.count)
        .prefix(config.trainLimit).sorted()
      train = train.selecting(Array(picked))
    }
    let test = dataset.test.images
    guard train.rows == test.rows, train.columns == test.columns else {
      throw RunError(
        "train images are \(train.rows)×\(train.columns) but test images are \(test.rows)×\(test.columns)"
      )
    }
    let classes = max(Int(train.labels.max() ?? 0), Int(test.labels.max() ?? 0)) + 1
    let classNames =
      config.dataset.classNames
      + (config.dataset.classNames.count..<max(classes, 10)).map(String.init)
    let classifier = try ImageClassifier(
      config: config, rows: train.rows, columns: train.columns, classes: classes,
      generator: RandomGenerator(seed: config.seed))
    if let checkpointContents, let checkpoint {
      try classifier.network.load(checkpointContents, source: checkpoint.path)
    }
    if !quiet {
      say("\(config.dataset.title): \(train.count) training images from \(dataset.train.source)")
      say("\(test.count) test images from \(dataset.test.source)")
      for note in dataset.notes { say("note: \(note)") }
    }

    let folder = try RunFolder(
      outputDirectory: outputDirectory, scenario: scenario, seed: config.seed)
    var finalAccuracy = 0.0
    // Time spent in the training loops alone (what Keras' `fit` measures, less its evaluation).
    var trainSeconds = 0.0
    do {
      try folder.write(config.yaml(), to: "config.yaml")
      var metrics = MetricsLog(columns: ["epoch", "loss", "accuracy", "test_loss", "test_accuracy"])
      if checkpoint == nil {
        for epoch in 1...config.epochs {
          if !quiet { say("Epoch \(epoch)/\(config.epochs)") }
          let progress = ProgressLine(total: classifier.stepsPerEpoch(train.count), quiet: quiet)
          let epochStart = Date()
          let (loss, accuracy) = classifier.trainEpoch(train) { step, loss, accuracy in
            progress.update(step, metrics: [("loss", loss), ("accuracy", accuracy)])
          }
          trainSeconds += Date().timeIntervalSince(epochStart)
          let evaluation = classifier.evaluate(test)
          progress.finish(metrics: [
            ("loss", loss), ("accuracy", accuracy), ("test_loss", evaluation.loss),
            ("test_accuracy", evaluation.accuracy),
          ])
          metrics.append([Double(epoch), loss, accuracy, evaluation.loss, evaluation.accuracy])
          try folder.write(metrics.csv, to: "metrics.csv")
        }
      }
      let evaluation = classifier.evaluate(test)
      finalAccuracy = evaluation.accuracy
      if checkpoint != nil {
        metrics.append([0, .nan, .nan, evaluation.loss, evaluation.accuracy])
        try folder.write(metrics.csv, to: "metrics.csv")
      }
      if !quiet { report(evaluation, classNames: classNames, say: say) }
      try PNG.write(
        ClassifierPictures.confusion(evaluation, classNames: classNames),
        to: folder.url(for: "confusion.png"))
      try PNG.write(
        ClassifierPictures.mistakes(test, evaluation: evaluation, classNames: classNames),
        to: folder.url(for: "mistakes.png"))
      try classifier.network.save(
        to: folder.url(for: "model.safetensors"),
        metadata: ["config": try config.yaml(), "format": "playground classifier"])
      var summary = Summary(for: folder, extraVersions: ["openblas_core": BLAS.shared.coreName])
      summary["mode"] = checkpoint == nil ? "train" : "evaluate-only"
      summary["seed"] = config.seed
      summary["dataset"] = config.dataset.rawValue
      summary["model"] = config.model.rawValue
      summary["parameters"] = classifier.network.parameterCount
      summary["train_images"] = train.count
      summary["test_images"] = test.count
      summary["train_source"] = dataset.train.source
      summary["test_source"] = dataset.test.source
      summary["notes"] = dataset.notes
      summary["test_accuracy"] = evaluation.accuracy
      summary["test_loss"] = evaluation.loss
      summary["per_class_accuracy"] = evaluation.perClassAccuracy
      summary["confusion"] = evaluation.confusion
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      summary["train_seconds"] = trainSeconds
      try folder.write(summary.json(), to: "summary.json")
      try folder.commit()
    } catch {
      folder.discard()
      throw error
    }
    say(
      String(
        format: "test accuracy %.2f%% — run saved to %@", finalAccuracy * 100, folder.finalURL.path)
    )
    return folder
  }

  private func report(_ evaluation: Evaluation, classNames: [String], say: (String) -> Void) {
    say(
      String(
        format: "Test accuracy: %.4f (%d/%d), loss %.4f", evaluation.accuracy, evaluation.correct,
        evaluation.count, evaluation.loss))
    say("Per-class accuracy:")
    for (c, accuracy) in evaluation.perClassAccuracy.enumerated() {
      say(
        "  \(classNames[c].padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.4f", accuracy))"
      )
    }
    say("Confusion matrix (rows: true class, columns: predicted):")
    let width = max(5, String(evaluation.confusion.joined().max() ?? 0).count + 1)
    func cell(_ text: String) -> String {
      String(repeating: " ", count: max(width - text.count, 0)) + text
    }
    say("      " + evaluation.confusion.indices.map { cell(String($0)) }.joined())
    for (row, counts) in evaluation.confusion.enumerated() {
      say(cell(String(row)) + " " + counts.map { cell(String($0)) }.joined())
    }
  }
}

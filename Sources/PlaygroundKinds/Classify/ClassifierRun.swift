import Foundation
import PlaygroundClassifier
import PlaygroundComputeConfig
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns
import Yams

/// One `playground classify` run from settings to run folder: load the data, train (or load a
/// checkpoint), evaluate on the test split, and write `config.yaml`, `metrics.csv`,
/// `confusion.png`, `mistakes.png`, `model.safetensors` and `summary.json`.
public struct ClassifierRun: NamedRunKind, ComputeRunJob {
  public var config: ClassifierConfig
  /// Evaluate this saved model instead of training.
  public var checkpoint: URL?

  public init(config: ClassifierConfig, checkpoint: URL? = nil) {
    self.config = config
    self.checkpoint = checkpoint
  }

  public init(configAt url: URL) throws {
    config = try ClassifierConfig.read(url, defaults: ClassifierConfig())
  }

  public static let kind = "classify"
  public static let family = RunFamily.classify
  public static let label = "classify"
  public static var subjectNames: [String] { DatasetName.allCases.map(\.rawValue) }
  public static let presets = [
    RunPreset(
      "classifier", "the Keras MLP, Flatten → Dense(128, relu) → Dense(10) (agents/classifier.yaml)"
    ),
    RunPreset("mlp", "the same as classifier"),
    RunPreset("cnn", "a LeNet-style CNN, 16 and 32 channels"),
    RunPreset("lstm", "a digit read row by row: LSTM(128) → Dense(10) (agents/lstm.yaml)"),
    RunPreset("gru", "a digit read row by row: GRU(128) → Dense(10) (agents/gru.yaml)"),
    RunPreset("dpcnn", "the same network and settings trained without privacy"),
    RunPreset(
      "dp-cnn",
      "Opacus's MNIST CNN trained with DP-SGD: σ 1.1, C 1, batch 256, SGD (agents/dp-cnn.yaml)"),
  ]
  public static let budgetKeys = ["epochs": "epochs"]

  public static func smokeTest(scratch: URL) -> SmokeTest {
    SmokeTest(subject: "mnist", agent: "cnn", overrides: ["epochs": "1", "train_limit": "200"])
  }
  public static let presentation = RunPresentation(
    curves: [.init(file: "metrics.csv", x: "epoch", y: "test_accuracy")],
    headline: ["test_accuracy", "test_loss", "train_seconds", "worst_class_accuracy", "epsilon"],
    bars: .init(values: "per_class_accuracy", categories: "class_names"), sections: ["privacy"])

  public static let objectives = [
    RunObjective(
      "test_accuracy", higherIsBetter: true, progress: ("test_accuracy", true), unit: "epoch",
      optimum: 1),
    RunObjective("test_loss", higherIsBetter: false, progress: ("test_loss", false), unit: "epoch"),
  ]

  public var defaultName: String { "classify-\(config.dataset.rawValue)" }
  public var settings: ClassifierConfig {
    get { config }
    set { config = newValue }
  }

  public static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws
    -> ClassifierRun?
  {
    let dataset = try DatasetName.named(subject)
    var config = ClassifierConfig()
    switch agent {
    case nil, "classifier", "mlp": break
    case "cnn": config.model = .cnn
    case "lstm": config = .rowLSTM
    case "gru": config = .rowGRU
    case "dp-cnn": config = .privateCNN
    case "dpcnn":
      config = .privateCNN
      config.privacy.enabled = false
    case let path?: config = try readAgent(path, resolve: resolve, defaults: config)
    }
    config.dataset = dataset
    return ClassifierRun(config: config)
  }

  /// Runs and returns the committed run folder. Everything that can be checked is checked
  /// before the run folder is created; a failure later removes it.
  public func runResolved(in context: RunContext) throws -> URL {
    let started = Date()
    try config.validate()
    let (config, saved) = try settingsAndCheckpoint()
    let data = try ClassifierData(config: config, sources: context.sources, context: context)
    try MemoryBudget.check(
      config.estimatedBytes(
        rows: data.train.rows, columns: data.train.columns, classes: data.classes),
      for: "this \(config.model.rawValue) with batches of \(config.batchSize)",
      lower: "batch_size or hidden_units")
    let classifier = try Self.classifier(config: config, data: data, saved: saved, from: checkpoint)
    let initial = try Self.initialWeights(config.initFrom)
    if let initial {
      do {
        try classifier.network.load(initial.contents, source: initial.url.path)
      } catch let mismatch as CheckpointMismatch {
        throw RunError(
          "init_from: \(mismatch.description) — start from a classify run of the same model (\(config.model.rawValue)) and hidden_units (\(config.hiddenUnits))"
        )
      }
    }
    if let saved, let checkpoint, !PostTrainingQuantization.isQuantized(saved) {
      try classifier.network.load(saved, source: checkpoint.path)
    }
    data.describe(to: context)
    if checkpoint == nil {
      classifier.privatePlan = try Self.privatePlan(
        config: config, trainImages: data.train.count, context: context)
    }
    let folder = try context.newFolder(for: self)
    let accuracy = try folder.perform(config: config.yaml()) { folder in
      var metrics = MetricsLog(
        columns: ["epoch", "loss", "accuracy", "test_loss", "test_accuracy"]
          + (classifier.privatePlan == nil ? [] : ["epsilon"]))
      let trainSeconds =
        checkpoint == nil
        ? try Self.train(
          classifier, config: config, data: data, metrics: &metrics, in: folder, context)
        : 0
      let evaluation = classifier.evaluate(data.test)
      if checkpoint != nil {
        metrics.append([0, .nan, .nan, evaluation.loss, evaluation.accuracy])
        try folder.write(metrics: metrics, to: "metrics.csv")
      }
      if !context.quiet { Self.report(evaluation, classNames: data.classNames, say: context.say) }
      try record(evaluation, classifier: classifier, config: config, data: data, in: folder)
      var summary = try summary(
        evaluation, classifier: classifier, config: config, data: data, folder: folder)
      summary["wall_seconds"] = Date().timeIntervalSince(started)
      summary["train_seconds"] = trainSeconds
      try folder.write(summary.json(), to: "summary.json")
      return evaluation.accuracy
    }
    context.say(
      String(
        format: "test accuracy %.2f%% — run saved to %@", accuracy * 100, folder.finalURL.path))
    return folder.finalURL
  }

  /// The classifier to train, or to evaluate an int8 checkpoint with (its quantised network).
  private static func classifier(
    config: ClassifierConfig, data: ClassifierData, saved: SafeTensors.Contents?, from url: URL?
  ) throws -> ImageClassifier {
    let (rows, columns) = (data.train.rows, data.train.columns)
    guard let saved, let url, PostTrainingQuantization.isQuantized(saved) else {
      return try ImageClassifier(
        config: config, rows: rows, columns: columns, classes: data.classes,
        generator: RandomGenerator(seed: config.seed))
    }
    let skeleton = try ClassifierNetwork.make(
      config.model, rows: rows, columns: columns, classes: data.classes,
      hiddenUnits: config.hiddenUnits, generator: RandomGenerator(seed: 0))
    let network = try PostTrainingQuantization.network(
      from: saved, skeleton: skeleton, source: url.path)
    return ImageClassifier(
      config: config, evaluating: network, rows: rows, columns: columns, classes: data.classes)
  }

  /// The run's classifier with its trained weights, and its data as it trained on it: what
  /// `explain` and `audit` read a finished run as.
  static func trained(run folder: URL, sources: DataSources) throws -> (
    ImageClassifier, ClassifierData
  ) {
    let model = folder.appendingPathComponent("model.safetensors")
    guard FileManager.default.fileExists(atPath: model.path) else {
      throw RunError(
        "\(folder.path) has no model.safetensors: pass a classify run that trained, e.g. outputs/classify-mnist/latest (an int8 evaluation has no float model)"
      )
    }
    let config = try ClassifierRun(configAt: folder.appendingPathComponent("config.yaml")).config
    let context = RunContext(
      scenario: "classify", outputDirectory: folder, sources: sources, quiet: true)
    let data = try ClassifierData(config: config, sources: sources, context: context)
    let classifier = try ImageClassifier(
      config: config, rows: data.train.rows, columns: data.train.columns, classes: data.classes,
      generator: RandomGenerator(seed: config.seed))
    try classifier.network.load(SafeTensors.read(from: model), source: model.path)
    return (classifier, data)
  }

  /// The weights `init_from` names: a classify run's folder (its `model.safetensors`) or the
  /// file itself; `nil` when it is empty.
  static func initialWeights(_ path: String) throws -> (url: URL, contents: SafeTensors.Contents)? {
    guard let url = try initialWeightsURL(path) else { return nil }
    let contents = try SafeTensors.read(from: url)
    guard !PostTrainingQuantization.isQuantized(contents) else {
      throw RunError(
        "init_from \(path): an int8 checkpoint cannot be trained further; start from the run's model.safetensors"
      )
    }
    return (url, contents)
  }

  /// The file `init_from` names, checked to exist; `nil` when it is empty.
  static func initialWeightsURL(_ path: String) throws -> URL? {
    guard !path.isEmpty else { return nil }
    var url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue
    {
      url = url.appendingPathComponent("model.safetensors")
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw RunError(
        "init_from \(path): no \(url.lastPathComponent == "model.safetensors" ? "model.safetensors there" : "such file"): pass a classify run folder (e.g. outputs/classify-mnist/latest) or its model.safetensors"
      )
    }
    return url.resolvingSymlinksInPath()
  }

  /// The settings to run with: with a checkpoint, its architecture (the data set stays this
  /// run's), and the checkpoint's contents.
  private func settingsAndCheckpoint() throws -> (ClassifierConfig, SafeTensors.Contents?) {
    guard let checkpoint else { return (config, nil) }
    let contents = try SafeTensors.read(from: checkpoint)
    guard let saved = contents.metadata["config"] else { return (config, contents) }
    var stored = try ClassifierConfig.decode(yaml: saved, source: checkpoint.path, defaults: config)
    stored.dataset = config.dataset
    return (stored, contents)
  }

  /// Trains every epoch, evaluating after each; returns the time spent in the training loops
  /// alone (what Keras' `fit` measures, less its evaluation).
  private static func train(
    _ classifier: ImageClassifier, config: ClassifierConfig, data: ClassifierData,
    metrics: inout MetricsLog, in folder: RunFolder, _ context: RunContext
  ) throws -> Double {
    var trainSeconds = 0.0
    for epoch in 1...config.epochs {
      context.progress("Epoch \(epoch)/\(config.epochs)")
      let progress = ProgressLine(
        total: classifier.stepsPerEpoch(data.train.count), quiet: context.quiet)
      let epochStart = Date()
      let (loss, accuracy) = classifier.trainEpoch(data.train) { step, loss, accuracy in
        progress.update(step, metrics: [("loss", loss), ("accuracy", accuracy)])
      }
      trainSeconds += Date().timeIntervalSince(epochStart)
      guard loss.isFinite else {
        throw RunError.diverged(
          at: "epoch \(epoch)", loss: loss, lower: "learning_rate (now \(config.learningRate))")
      }
      let evaluation = classifier.evaluate(data.test)
      progress.finish(metrics: [
        ("loss", loss), ("accuracy", accuracy), ("test_loss", evaluation.loss),
        ("test_accuracy", evaluation.accuracy),
      ])
      let epsilon = classifier.privatePlan.map {
        [$0.epsilon(afterSteps: $0.stepsPerEpoch * epoch)]
      }
      metrics.append(
        [Double(epoch), loss, accuracy, evaluation.loss, evaluation.accuracy] + (epsilon ?? []))
      try folder.write(metrics: metrics, to: "metrics.csv")
      // The last finite weights, kept if a later epoch diverges.
      try saveModel(classifier, config: config, in: folder)
      try context.report(
        budget: Double(epoch),
        ["test_accuracy": evaluation.accuracy, "test_loss": evaluation.loss])
    }
    return trainSeconds
  }

  /// The pictures and the model.
  private func record(
    _ evaluation: Evaluation, classifier: ImageClassifier, config: ClassifierConfig,
    data: ClassifierData, in folder: RunFolder
  ) throws {
    try folder.write(
      picture:
        ClassifierPictures.confusion(evaluation, classNames: data.classNames), to: "confusion.png")
    try folder.write(
      picture:
        ClassifierPictures.mistakes(data.test, evaluation: evaluation, classNames: data.classNames),
      to: "mistakes.png")
    try folder.write(
      picture: ClassifierPictures.perClass(
        evaluation, classNames: data.classNames, trainCounts: data.trainCountPerClass),
      to: "per_class.png")
    try Self.saveModel(classifier, config: config, in: folder)
  }

  /// `model.safetensors`, with the config in its metadata; an int8 network's checkpoint as
  /// `model-int8.safetensors`.
  private static func saveModel(
    _ classifier: ImageClassifier, config: ClassifierConfig, in folder: RunFolder
  ) throws {
    if classifier.isQuantized {
      try SafeTensors.write(
        PostTrainingQuantization.checkpoint(
          of: classifier.network,
          metadata: ["config": try config.yaml(), "format": "playground classifier"]),
        to: folder.url(for: "model-int8.safetensors"))
      return
    }
    try classifier.network.save(
      to: folder.url(for: "model.safetensors"),
      metadata: ["config": try config.yaml(), "format": "playground classifier"])
  }

  private func summary(
    _ evaluation: Evaluation, classifier: ImageClassifier, config: ClassifierConfig,
    data: ClassifierData, folder: RunFolder
  ) throws -> Summary {
    var summary = Summary(for: folder, extraVersions: Compute.versions(of: Compute.settings))
    summary["mode"] = checkpoint == nil ? "train" : "evaluate-only"
    summary["seed"] = config.seed
    summary["dataset"] = config.dataset.rawValue
    summary["model"] = config.model.rawValue
    summary["parameters"] = classifier.network.parameterCount
    if classifier.isQuantized {
      summary["parameters"] = classifier.network.layers.compactMap { $0 as? QuantizedKernel }
        .reduce(0) { $0 + $1.weight.count + ($1.bias?.count ?? 0) }
      summary["quantization"] = "int8"
      summary["integer_products"] = IntegerProducts.engine()
    }
    let initFrom = (try? Self.initialWeightsURL(config.initFrom))??.path
    summary["init_from"] = initFrom ?? NSNull()
    summary["frozen_layers"] = config.freeze
    summary["frozen_parameters"] = classifier.frozenParameterCount
    summary["train_images"] = data.train.count
    summary["test_images"] = data.test.count
    summary["train_source"] = data.trainSource
    summary["test_source"] = data.testSource
    summary["notes"] = data.notes
    summary["test_accuracy"] = evaluation.accuracy
    summary["test_loss"] = evaluation.loss
    if let plan = classifier.privatePlan {
      let privacy = Self.privacySummary(plan, epochs: config.epochs)
      summary["privacy"] = privacy
      summary["epsilon"] = privacy["epsilon"]
    }
    summary["class_names"] = data.classNames
    summary["per_class_accuracy"] = evaluation.perClassAccuracy
    summary["per_class_precision"] = evaluation.perClassPrecision
    summary["per_class_train_images"] = data.trainCountPerClass
    if let worst = evaluation.worstClass {
      summary["worst_class"] = data.classNames[worst.index]
      summary["worst_class_accuracy"] = worst.accuracy
      summary["class_accuracy_gap"] = worst.gap
    }
    summary["confusion"] = evaluation.confusion
    return summary
  }

  private static func report(
    _ evaluation: Evaluation, classNames: [String], say: (String) -> Void
  ) {
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

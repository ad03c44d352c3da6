import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundData
import TestSupport
import Testing

@Suite(.onOneBackend) struct ClassifierConfigTests {
  static let agentsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "agents/classifier.yaml")

  /// Each agents file holds every key, in the struct's order, with its preset's values.
  @Test(arguments: [
    ("classifier", ClassifierConfig()), ("lstm", ClassifierConfig.rowLSTM),
    ("gru", ClassifierConfig.rowGRU), ("dp-cnn", ClassifierConfig.privateCNN),
  ])
  func agentsFileMirrorsTheStructKeyForKeyWithItsDefaults(
    _ name: String, _ preset: ClassifierConfig
  ) throws {
    let url = Self.agentsFile.deletingLastPathComponent().appendingPathComponent("\(name).yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
    let keys = lines.filter { !$0.hasPrefix(" ") }.map { String($0.split(separator: ":")[0]) }
    #expect(keys == ClassifierConfig.keys)
    let privacyKeys = lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("  #") }
      .map { String($0.split(separator: ":")[0].dropFirst(2)) }
    #expect(privacyKeys == PrivacySettings.keys)
    #expect(try ClassifierConfig.read(url, defaults: ClassifierConfig()) == preset, "\(name)")
  }

  @Test func yamlRoundTrip() throws {
    var config = ClassifierConfig()
    config.model = .cnn
    config.epochs = 3
    config.learningRate = 3e-4
    config.dataset = .fashion
    let text = try config.yaml()
    #expect(
      try ClassifierConfig.decode(yaml: text, source: "x", defaults: ClassifierConfig()) == config)
  }

  /// `017` would read as 15 where a whole number is expected and as 17.0 elsewhere (YAML 1.1's
  /// octal): refused with its line, wherever it stands; `0`, `0.5` and `10` read as written.
  @Test func numbersWithALeadingZeroAreRefused() throws {
    for text in ["epochs: 017\n", "learning_rate: 010\n", "seed: -07\n"] {
      #expect {
        try ClassifierConfig.decode(yaml: text, source: "x.yaml", defaults: ClassifierConfig())
      } throws: { "\($0)".contains("without the leading 0") && "\($0)".contains("line 1") }
    }
    let config = try ClassifierConfig.decode(
      yaml: "epochs: 10\nlearning_rate: 0.5\nseed: 0\n", source: "x", defaults: ClassifierConfig())
    #expect(config.epochs == 10 && config.learningRate == 0.5 && config.seed == 0)
  }

  @Test func missingKeysKeepDefaults() throws {
    let config = try ClassifierConfig.decode(
      yaml: "epochs: 2\n", source: "x", defaults: ClassifierConfig())
    var expected = ClassifierConfig()
    expected.epochs = 2
    #expect(config == expected)
  }

  @Test(arguments: [
    (
      "epochs: 2\nepoch: 3\n", "x (line 2): unknown key 'epoch'; known keys: dataset, model, epochs"
    ),
    ("epochs: many\n", "x (line 1): 'epochs' must be a whole number"),
    (
      "model: transformer\n",
      "x (line 1): model must be mlp, cnn, lstm, gru or dpcnn, got 'transformer'"
    ),
    ("epochs: 0\n", "epochs must be at least 1, got 0"),
    ("learning_rate: -1\n", "learning_rate must be positive, got -1.0"),
    ("- a\n- b\n", "x must be a mapping of setting: value"),
    ("epochs: [1\n", "x is not valid YAML"),
    // The privacy: section, as strict as the top level.
    (
      "privacy:\n  sigma: 1\n",
      "x (line 2): unknown key 'privacy.sigma'; the settings of privacy: enabled"
    ),
    ("privacy.sigma: 1\n", "x (line 1): unknown key 'privacy.sigma'"),
    ("privacy: true\n", "x (line 1): 'privacy' is a section"),
    ("epochs: 2\nprivacy:\n  delta: lots\n", "x (line 3): 'privacy.delta' must be a number"),
    (
      "privacy:\n  noise_multiplier: 0\n",
      "privacy.noise_multiplier must be positive (σ > 0), got 0.0"
    ),
    ("privacy:\n  delta: 1\n", "privacy.delta must be between 0 and 1, got 1.0"),
    ("privacy:\n  max_grad_norm: -1\n", "privacy.max_grad_norm must be positive"),
    ("pixel_std: 0\n", "pixel_std must be positive"),
  ])
  func badSettingsAreOneLineErrors(_ yaml: String, _ expected: String) {
    #expect {
      try ClassifierConfig.decode(yaml: yaml, source: "x", defaults: ClassifierConfig())
    } throws: { error in
      let message = "\(error)"
      return message.hasPrefix(expected) && !message.contains("\n")
    }
  }

  /// The `privacy:` section: written indented, read key by key over its defaults (in the file
  /// or as `privacy.<key>`, as `--set` and sweeps write it), checked as strictly as the rest.
  @Test func thePrivacySectionReadsAndWritesLikeTheTopLevel() throws {
    var config = ClassifierConfig.privateCNN
    config.privacy.targetEpsilon = 3
    let text = try config.yaml()
    #expect(text.contains("privacy:\n  enabled: true\n  noise_multiplier: 1.1\n"))
    #expect(
      try ClassifierConfig.decode(yaml: text, source: "x", defaults: ClassifierConfig()) == config)
    let partial = try ClassifierConfig.decode(
      yaml: "privacy:\n  max_grad_norm: 0.5\nprivacy.delta: 1.0e-6\n", source: "x",
      defaults: ClassifierConfig())
    var expected = ClassifierConfig()
    expected.privacy.maxGradNorm = 0.5
    expected.privacy.delta = 1e-6
    #expect(partial == expected)
    #expect(ClassifierConfig.settingPaths.contains("privacy.noise_multiplier"))
    #expect(!ClassifierConfig.settingPaths.contains("privacy"))
  }

  /// Opacus's `make_private` numbers: q = 1/⌈N/B⌉, expected batch ⌊N·q⌋, and σ for a target ε
  /// over every step; a target no σ reaches is one line.
  @Test func thePrivatePlanResolvesAsOpacusDoes() throws {
    var settings = PrivacySettings()
    settings.enabled = true
    let plan = try PrivateTrainingPlan(settings, examples: 60_000, batchSize: 256, epochs: 1)
    #expect(plan.stepsPerEpoch == 235)
    #expect(plan.expectedBatchSize == 255)
    #expect(abs(plan.sampleRate - 1.0 / 235) < 1e-15)
    #expect(abs(plan.epsilon(afterSteps: 235) - 0.739) < 0.001)  // the anchor's printed ε
    settings.targetEpsilon = 3
    let targeted = try PrivateTrainingPlan(settings, examples: 60_000, batchSize: 256, epochs: 5)
    #expect(targeted.epsilon(afterSteps: 5 * 235) <= 3)
    #expect(targeted.epsilon(afterSteps: 5 * 235) > 2.99)
    settings.targetEpsilon = 1e-9
    #expect {
      try PrivateTrainingPlan(settings, examples: 60_000, batchSize: 256, epochs: 5)
    } throws: { "\($0)".hasPrefix("privacy.target_epsilon: ε = 1e-09") }
  }
}

@Suite(.onEveryBackend) struct EvaluationTests {
  @Test func accuracyPerClassAndConfusion() {
    let evaluation = Evaluation(
      loss: 0.5, predictions: [0, 1, 1, 2, 0], labels: [0, 1, 2, 2, 1], classes: 3)
    #expect(evaluation.correct == 3 && evaluation.accuracy == 0.6)
    #expect(evaluation.confusion == [[1, 0, 0], [1, 1, 0], [0, 1, 1]])
    #expect(evaluation.perClassAccuracy == [1, 0.5, 0.5])
    #expect(evaluation.mistakes(labels: [0, 1, 2, 2, 1]) == [2, 4])
  }

}

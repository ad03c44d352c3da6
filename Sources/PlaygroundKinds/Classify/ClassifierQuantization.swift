import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundNN
import PlaygroundRandom
import PlaygroundRuns

/// A classify run's MLP or CNN quantised to int8 after training (`playground export RUN_DIR
/// --int8`): calibrated on a few hundred of the run's training images (seeded), compared with
/// the float model on the run's whole test split.
public struct ClassifierQuantization {
  /// The run's float classifier, with its weights.
  public let float: ImageClassifier
  /// The int8 classifier.
  public let quantized: ImageClassifier
  public let calibrationCount: Int
  let data: ClassifierData
  let config: ClassifierConfig

  /// Quantises the run at `folder`.
  /// - Throws: ``RunError`` when it is not a classify run of an MLP or CNN, or its data cannot
  ///   be loaded.
  public init(run folder: URL, sources: DataSources, calibrationImages: Int = 512) throws {
    let configURL = folder.appendingPathComponent("config.yaml")
    let model = folder.appendingPathComponent("model.safetensors")
    guard FileManager.default.fileExists(atPath: model.path),
      let job = try? ClassifierRun(configAt: configURL)
    else {
      throw RunError(
        "\(folder.path) is not a classify run with a model.safetensors: --int8 quantises classify runs of the mlp or cnn"
      )
    }
    config = job.config
    guard config.model == .mlp || config.model == .cnn else {
      throw RunError(
        "--int8 quantises the mlp and cnn; this run's model is the \(config.model.rawValue): export it without --int8"
      )
    }
    let context = RunContext(
      scenario: "export", outputDirectory: folder, sources: sources, quiet: true)
    data = try ClassifierData(config: config, sources: sources, context: context)
    float = try ImageClassifier(
      config: config, rows: data.test.rows, columns: data.test.columns, classes: data.classes,
      generator: RandomGenerator(seed: config.seed))
    try float.network.load(SafeTensors.read(from: model), source: model.path)
    calibrationCount = min(calibrationImages, data.train.count)
    let picked = RandomGenerator(seed: config.seed).derived(stream: 11)
      .permutation(data.train.count).prefix(calibrationCount)
    let network: Sequential
    do {
      network = try PostTrainingQuantization.quantize(
        float.network, calibration: float.batch(data.train, picked))
    } catch let unsupported as PostTrainingQuantization.Unsupported {
      throw RunError("--int8: \(unsupported.description)")
    }
    quantized = ImageClassifier(
      config: config, evaluating: network, rows: data.test.rows, columns: data.test.columns,
      classes: data.classes)
  }

  /// The first `count` test images of the classify run at `folder`, as its model sees them;
  /// `nil` when it is not a classify run.
  public static func testImages(run folder: URL, sources: DataSources, count: Int) throws
    -> Tensor?
  {
    guard
      let job = try? ClassifierRun(configAt: folder.appendingPathComponent("config.yaml"))
    else { return nil }
    let context = RunContext(
      scenario: "export", outputDirectory: folder, sources: sources, quiet: true)
    let data = try ClassifierData(config: job.config, sources: sources, context: context)
    let classifier = ImageClassifier(
      config: job.config, evaluating: Sequential([]), rows: data.test.rows,
      columns: data.test.columns, classes: data.classes)
    return classifier.batch(data.test, 0..<min(count, data.test.count))
  }

  /// The int8 checkpoint (`model-int8.safetensors`), with the run's config in its metadata as
  /// in `model.safetensors`.
  public func checkpoint() throws -> SafeTensors.Contents {
    PostTrainingQuantization.checkpoint(
      of: quantized.network,
      metadata: ["config": try config.yaml(), "format": "playground classifier"])
  }

  /// Test accuracy and speed of the float and int8 models, and their files' sizes.
  public func report(floatBytes: Int, int8Bytes: Int, batch: Int = 256) -> QuantizationReport {
    func measure(_ classifier: ImageClassifier) -> QuantizationReport.Model {
      let accuracy = classifier.evaluate(data.test).accuracy
      // Inference alone, batch by batch over the test split; the best of three passes.
      let inputs = stride(from: 0, to: data.test.count, by: batch).map {
        classifier.batch(data.test, $0..<min($0 + batch, data.test.count))
      }
      var best = Double.infinity
      for _ in 0..<3 {
        let start = Date()
        for input in inputs { _ = classifier.logits(input) }
        best = min(best, Date().timeIntervalSince(start))
      }
      return .init(
        accuracy: accuracy, imagesPerSecond: Double(data.test.count) / best, bytes: 0)
    }
    var float = measure(self.float)
    var int8 = measure(quantized)
    float.bytes = floatBytes
    int8.bytes = int8Bytes
    return QuantizationReport(
      float: float, int8: int8, batch: batch, testImages: data.test.count,
      calibrationImages: calibrationCount, integerProducts: IntegerProducts.engine(),
      compute: Compute.settings)
  }
}

/// Float against int8: what `export --int8` prints and writes to `RUN_DIR/int8.json`.
public struct QuantizationReport {
  public struct Model {
    /// On the run's test split, 0–1.
    public var accuracy: Double
    /// Inference over the test split in batches of ``QuantizationReport/batch``.
    public var imagesPerSecond: Double
    /// The checkpoint file's size.
    public var bytes: Int
  }

  public let float: Model
  public let int8: Model
  public let batch: Int
  public let testImages: Int
  public let calibrationImages: Int
  public let integerProducts: String
  public let compute: ComputeSettings

  /// Percentage points of test accuracy lost (negative: gained).
  public var accuracyLoss: Double { (float.accuracy - int8.accuracy) * 100 }
  public var sizeRatio: Double { Double(int8.bytes) / Double(max(float.bytes, 1)) }
  public var speedup: Double { int8.imagesPerSecond / float.imagesPerSecond }

  public var lines: [String] {
    [
      String(
        format: "float: test accuracy %.2f%%, %.0f images/s, %d bytes", float.accuracy * 100,
        float.imagesPerSecond, float.bytes),
      String(
        format: "int8:  test accuracy %.2f%%, %.0f images/s, %d bytes", int8.accuracy * 100,
        int8.imagesPerSecond, int8.bytes),
      String(
        format:
          "int8 loses %.2f points on %d test images, its file is %.1f%% of the float one, it runs %.2f× as fast at batch %d (%@, %@ with %d threads; calibrated on %d training images)",
        accuracyLoss, testImages, sizeRatio * 100, speedup, batch, integerProducts,
        compute.backend.rawValue, compute.threads, calibrationImages),
    ]
  }

  public var json: [String: Any] {
    func entry(_ model: Model) -> [String: Any] {
      [
        "test_accuracy": model.accuracy, "images_per_second": model.imagesPerSecond,
        "bytes": model.bytes,
      ]
    }
    return [
      "float": entry(float), "int8": entry(int8), "batch": batch, "test_images": testImages,
      "calibration_images": calibrationImages, "accuracy_loss_points": accuracyLoss,
      "size_ratio": sizeRatio, "speedup": speedup, "integer_products": integerProducts,
      "backend": compute.backend.rawValue, "threads": compute.threads,
    ]
  }
}

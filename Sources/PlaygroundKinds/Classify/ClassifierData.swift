import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundData
import PlaygroundRandom
import PlaygroundRuns

/// The images a classifier run trains and tests on: the data set's splits, the training split
/// cut to `train_limit` images picked at random and to `class_limits`, and the class names.
struct ClassifierData {
  let train: LabeledImages
  let test: LabeledImages
  /// One more than the largest label of either split.
  let classes: Int
  let classNames: [String]
  let trainSource: String
  let testSource: String
  let notes: [String]
  /// The data set's name for people, e.g. `MNIST`.
  let title: String

  init(config: ClassifierConfig, sources: DataSources, context: RunContext) throws {
    let dataset = try DatasetLoader.withinMemoryBudget(sources: sources).load(config.dataset) {
      context.progress($0)
    }
    var train = dataset.train.images
    if config.trainLimit > 0, config.trainLimit < train.count {
      // A seeded random subset, in file order: files sorted by label (like the MNIST subset)
      // would otherwise give only the first classes.
      let picked = RandomGenerator(seed: config.seed).derived(stream: 9).permutation(train.count)
        .prefix(config.trainLimit).sorted()
      train = train.selecting(Array(picked))
    }
    if !config.classLimits.isEmpty {
      train = Self.limiting(train, to: config.classLimits)
    }
    let test = dataset.test.images
    guard train.rows == test.rows, train.columns == test.columns else {
      throw RunError(
        "train images are \(train.rows)×\(train.columns) but test images are \(test.rows)×\(test.columns)"
      )
    }
    self.train = train
    self.test = test
    classes = max(Int(train.labels.max() ?? 0), Int(test.labels.max() ?? 0)) + 1
    classNames =
      config.dataset.classNames
      + (config.dataset.classNames.count..<max(classes, config.dataset.classNames.count)).map(
        String.init)
    (trainSource, testSource, notes) = (dataset.train.source, dataset.test.source, dataset.notes)
    title = config.dataset.title
  }

  /// The training images of each class: what the bias report sets the per-class figures
  /// against.
  var trainCountPerClass: [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in train.labels where Int(label) < classes { counts[Int(label)] += 1 }
    return counts
  }

  /// `images` keeping only the first `limits[c]` images of each limited class c, in file order
  /// (an under-represented class, as in Bagdasaryan et al., 2019).
  static func limiting(_ images: LabeledImages, to limits: [Int: Int]) -> LabeledImages {
    var seen = [Int: Int]()
    let kept = images.labels.indices.filter { index in
      let label = Int(images.labels[index])
      guard let limit = limits[label] else { return true }
      seen[label, default: 0] += 1
      return seen[label]! <= limit
    }
    return images.selecting(kept)
  }

  /// Where the images came from, unless quiet.
  func describe(to context: RunContext) {
    context.progress("\(title): \(train.count) training images from \(trainSource)")
    context.progress("\(test.count) test images from \(testSource)")
    for note in notes { context.progress("note: \(note)") }
  }
}

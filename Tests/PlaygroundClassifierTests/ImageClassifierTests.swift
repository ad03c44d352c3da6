import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import Testing
import TestSupport

/// Training on small synthetic images: each class is a bright bar at its own row.
@Suite(.onEveryBackend) struct ImageClassifierTests {
  static let size = 12

  static func bars(count: Int, classes: Int = 4, seed: UInt64) -> LabeledImages {
    let rng = RandomGenerator(seed: seed)
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    for k in 0..<count {
      let label = k % classes
      for y in 0..<size {
        for _ in 0..<size {
          let bright = y == label * 3 || y == label * 3 + 1
          pixels.append(
            bright ? UInt8(180 + rng.integer(below: 70)) : UInt8(rng.integer(below: 60)))
        }
      }
      labels.append(UInt8(label))
    }
    return try! LabeledImages(rows: size, columns: size, pixels: pixels, labels: labels)
  }

  @Test(arguments: [ClassifierModelKind.mlp, .cnn])
  func learnsTheBars(_ kind: ClassifierModelKind) throws {
    var config = ClassifierConfig()
    config.model = kind
    config.hiddenUnits = 16
    config.batchSize = 8
    let classifier = try ImageClassifier(
      config: config, rows: Self.size, columns: Self.size, classes: 4,
      generator: RandomGenerator(seed: 1))
    let train = Self.bars(count: 96, seed: 2)
    for _ in 0..<4 { classifier.trainEpoch(train) }
    let evaluation = classifier.evaluate(Self.bars(count: 40, seed: 3))
    #expect(evaluation.accuracy > 0.95, "\(kind) accuracy \(evaluation.accuracy)")
  }

  @Test func sameSeedSameTraining() throws {
    func run() throws -> [Double] {
      let classifier = try ImageClassifier(
        config: ClassifierConfig(), rows: Self.size, columns: Self.size, classes: 4,
        generator: RandomGenerator(seed: 9))
      let train = Self.bars(count: 50, seed: 2)
      return (0..<2).map { _ in classifier.trainEpoch(train).loss }
    }
    #expect(try run() == run())
  }

  @Test func rawPixelsAreUnscaled() throws {
    var config = ClassifierConfig()
    config.rawPixels = true
    let images = Self.bars(count: 2, seed: 0)
    let raw = try ImageClassifier(
      config: config, rows: Self.size, columns: Self.size, classes: 4,
      generator: RandomGenerator(seed: 0))
    let scaled = try ImageClassifier(
      config: ClassifierConfig(), rows: Self.size, columns: Self.size, classes: 4,
      generator: RandomGenerator(seed: 0))
    #expect(raw.batch(images, [1]).scalars.max()! > 100)
    #expect(scaled.batch(images, [1]).scalars.max()! <= 1)
    #expect(raw.batch(images, [0, 1]).shape == [2, 1, Self.size, Self.size])
  }
}

@Suite(.onOneBackend) struct NetworkSizeTests {
  @Test func tooSmallImagesForTheCNNAreAClearError() {
    #expect {
      try ImageClassifier(
        config: {
          var c = ClassifierConfig(); c.model = .cnn; return c
        }(), rows: 8, columns: 8, classes: 4, generator: RandomGenerator(seed: 0))
    } throws: { "\($0)".contains("the cnn needs images of at least 12×12 pixels, got 8×8") }
  }
}

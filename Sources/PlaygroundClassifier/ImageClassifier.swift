import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundKernels
import PlaygroundNN

/// A network that classifies images, trained as Keras' `model.fit` does: shuffle every epoch,
/// mini-batches (the last one smaller), Adam, sparse categorical cross-entropy of the softmax,
/// computed from its logits as Keras does.
public final class ImageClassifier {
  public let config: ClassifierConfig
  public let network: Sequential
  public let classes: Int
  public let rows: Int
  public let columns: Int
  let optimizer: any Optimizer
  /// The shuffling of every epoch, and DP-SGD's Poisson sampling (stream 2).
  let shuffling: RandomGenerator
  /// DP-SGD's noise (stream 3 of the run's generator).
  let noise: RandomGenerator
  /// How DP-SGD trains, when ``ClassifierConfig/privacy`` is enabled: set by the run once it
  /// knows the number of training images (``PrivateTrainingPlan``).
  public var privatePlan: PrivateTrainingPlan?
  /// An int8 network's run on 8-bit activations (``QuantizedInference``).
  private let inference: QuantizedInference?
  /// A float network's run as one chain of oneDNN primitives (``FusedInference``).
  private let fused: FusedInference?

  /// - Parameter generator: seeds the weights (stream 1) and the shuffling (stream 2).
  /// - Throws: ``PlaygroundRuns/RunError`` when the images are too small for the architecture.
  public init(
    config: ClassifierConfig, rows: Int, columns: Int, classes: Int, generator: RandomGenerator
  ) throws {
    self.config = config
    self.rows = rows
    self.columns = columns
    self.classes = classes
    shuffling = generator.derived(stream: 2)
    noise = generator.derived(stream: 3)
    inference = nil
    network = try ClassifierNetwork.make(
      config.model, rows: rows, columns: columns, classes: classes, hiddenUnits: config.hiddenUnits,
      generator: generator.derived(stream: 1))
    fused = FusedInference(network)
    let trained = try Self.trainable(network, freezing: config.freeze, model: config.model)
    switch config.optimizer {
    case .adam:
      optimizer = Adam(
        parameters: trained, learningRate: Float(config.learningRate),
        epsilon: Float(config.adamEpsilon), convention: .keras)
    case .sgd:
      optimizer = SGD(parameters: trained, learningRate: Float(config.learningRate))
    }
    if config.privacy.enabled {
      do {
        try PrivateGradient.check(network, frozen: config.freeze)
      } catch {
        throw RunError("\(error) (model \(config.model.rawValue))")
      }
    }
  }

  /// A classifier around an already built network — an int8 checkpoint's — for evaluation: it
  /// has nothing to train.
  public init(
    config: ClassifierConfig, evaluating network: Sequential, rows: Int, columns: Int, classes: Int
  ) {
    self.config = config
    self.rows = rows
    self.columns = columns
    self.classes = classes
    self.network = network
    inference = QuantizedInference(network)
    fused = inference == nil ? FusedInference(network) : nil
    shuffling = RandomGenerator(seed: config.seed).derived(stream: 2)
    noise = RandomGenerator(seed: config.seed).derived(stream: 3)
    optimizer = Adam(parameters: network.parameters, learningRate: Float(config.learningRate))
  }

  /// The parameters of every layer with weights after the first `count` (from the input).
  /// - Throws: ``PlaygroundConfig/RunError`` when nothing would be left to train.
  static func trainable(_ network: Sequential, freezing count: Int, model: ClassifierModelKind)
    throws -> [Tensor]
  {
    let weighted = network.layers.filter { !$0.parameters.isEmpty }
    guard count < weighted.count else {
      throw RunError(
        "freeze \(count): this \(model.rawValue) has \(weighted.count) layers with weights; freeze at most \(weighted.count - 1), so that one trains"
      )
    }
    return weighted.dropFirst(count).flatMap(\.parameters)
  }

  /// Whether the network is an int8 checkpoint's (``PostTrainingQuantization``).
  public var isQuantized: Bool { network.layers.contains { $0 is QuantizedKernel } }

  /// Layers with weights that do not train (``ClassifierConfig/freeze``).
  public var frozenParameterCount: Int {
    network.parameterCount - optimizer.parameters.reduce(0) { $0 + $1.count }
  }

  /// The images at `indices` as a `[n, 1, rows, columns]` batch, scaled to [0, 1] unless the
  /// config asks for raw pixels.
  public func batch(_ images: LabeledImages, _ indices: some Collection<Int>) -> Tensor {
    precondition(indices.allSatisfy { (0..<images.count).contains($0) }, "image index out of range")
    let scale: Float = config.rawPixels ? 1 : 1 / 255
    let normalized = config.pixelMean != 0 || config.pixelStd != 1
    let size = images.pixelsPerImage
    let count = indices.count * size
    // What each of the 256 byte values becomes, looked up rather than computed per pixel.
    let inputs = normalized ? (0...255).map { config.modelInput(UInt8($0)) } : []
    let scalars = [Float](unsafeUninitializedCapacity: count) { target, initialized in
      images.pixels.withUnsafeBufferPointer { pixels in
        inputs.withUnsafeBufferPointer { inputs in
          var row = target.baseAddress!
          for index in indices {
            let source = pixels.baseAddress! + index * size
            if normalized {
              for k in 0..<size { row[k] = inputs[Int(source[k])] }
            } else {
              playground_scale_bytes(source, row, size, scale)
            }
            row += size
          }
        }
      }
      initialized = count
    }
    return Tensor(shape: [indices.count, 1, rows, columns], scalars: scalars)
  }

  /// One pass over `images` in shuffled mini-batches. `onBatch(done, meanLoss, accuracy)` follows
  /// the running means, as Keras' progress bar shows them.
  /// - Returns: the epoch's mean loss and accuracy over its images.
  @discardableResult
  public func trainEpoch(
    _ images: LabeledImages, onBatch: (Int, Double, Double) -> Void = { _, _, _ in }
  ) -> (loss: Double, accuracy: Double) {
    if let privatePlan {
      return trainPrivateEpoch(images, plan: privatePlan, onBatch: onBatch)
    }
    network.setTraining(true)
    let order = shuffling.permutation(images.count)
    var lossSum = 0.0
    var correct = 0
    var seen = 0
    var step = 0
    for start in stride(from: 0, to: order.count, by: config.batchSize) {
      let indices = order[start..<min(start + config.batchSize, order.count)]
      let labels = indices.map { Int(images.labels[$0]) }
      // Every layer's, frozen ones included (their gradients are computed, never applied).
      network.zeroGradients()
      let logits = network(batch(images, indices))
      let loss = softmaxCrossEntropy(logits: logits, labels: labels)
      loss.backward()
      optimizer.step()
      lossSum += Double(loss.item) * Double(indices.count)
      correct += zip(logits.argmaxLastAxis(), labels).filter { $0 == $1 }.count
      seen += indices.count
      step += 1
      onBatch(step, lossSum / Double(seen), Double(correct) / Double(seen))
    }
    return (lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)))
  }

  /// The number of mini-batches in one epoch over `count` images.
  public func stepsPerEpoch(_ count: Int) -> Int {
    (count + config.batchSize - 1) / config.batchSize
  }

  /// The class probabilities of `images` (the softmax of the network's logits), `[n, classes]`.
  public func probabilities(_ images: LabeledImages) -> Tensor {
    network.setTraining(false)
    defer { network.setTraining(true) }
    return withoutGradient { logits(batch(images, 0..<images.count)).softmax() }
  }

  /// The network's logits for a batch, in evaluation mode, without recording gradients (an int8
  /// network on 8-bit activations; a float MLP or CNN on oneDNN as one fused chain).
  public func logits(_ batch: Tensor) -> Tensor {
    network.setTraining(false)
    defer { network.setTraining(true) }
    return withoutGradient { inference?(batch) ?? fused?(batch) ?? network(batch) }
  }

  /// Predictions and loss on `images`, in evaluation mode and without recording gradients.
  public func evaluate(_ images: LabeledImages) -> Evaluation {
    network.setTraining(false)
    defer { network.setTraining(true) }
    var predictions: [Int] = []
    var lossSum = 0.0
    let labels = images.labels.map(Int.init)
    withoutGradient {
      for start in stride(from: 0, to: images.count, by: 1000) {
        let end = min(start + 1000, images.count)
        let logits = self.logits(batch(images, start..<end))
        let loss = softmaxCrossEntropy(logits: logits, labels: Array(labels[start..<end]))
        lossSum += Double(loss.item) * Double(end - start)
        predictions += logits.argmaxLastAxis()
      }
    }
    return Evaluation(
      loss: lossSum / Double(max(images.count, 1)), predictions: predictions, labels: labels,
      classes: classes)
  }
}

import Foundation
import PlaygroundCore
import PlaygroundNN
import Testing
import TestSupport

/// Small networks learn: the whole stack (layers, losses, autodiff, optimizers) working together.
@Suite(.onEveryBackend) struct LearningTests {
  /// `steps` Adam steps on `loss`; returns the last step's loss.
  @discardableResult
  static func fit(_ model: Sequential, learningRate: Float, steps: Int, loss: () -> Tensor)
    -> Float
  {
    let optimizer = Adam(for: model, learningRate: learningRate)
    var last: Float = .infinity
    for _ in 0..<steps {
      optimizer.zeroGradients()
      let l = loss()
      l.backward()
      optimizer.step()
      last = l.item
    }
    return last
  }

  @Test func learnsXOR() {
    let rng = RandomGenerator(seed: 3)
    let model = Sequential([
      Dense(inputSize: 2, outputSize: 8, activation: .tanh, generator: rng),
      Dense(inputSize: 8, outputSize: 1, generator: rng),
    ])
    let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor([[0], [1], [1], [0]])
    let first = sigmoidCrossEntropy(logits: model(x), labels: y).item
    let loss = Self.fit(model, learningRate: 0.05, steps: 300) {
      sigmoidCrossEntropy(logits: model(x), labels: y)
    }
    #expect(first > 0.5)
    #expect(loss < 0.02, "XOR loss after 300 Adam steps: \(loss)")
    let predictions = withoutGradient { model(x).sigmoid().scalars }
    #expect(predictions.map { $0 > 0.5 } == [false, true, true, false])
  }

  @Test func fitsASineRegression() {
    let rng = RandomGenerator(seed: 11)
    let xs = (0..<64).map { Float($0) / 63 * 6 - 3 }
    let x = Tensor(shape: [64, 1], scalars: xs)
    let y = Tensor(shape: [64, 1], scalars: xs.map { Float(sin(Double($0))) })
    let model = Sequential([
      Dense(
        inputSize: 1, outputSize: 32, activation: .relu, weightInitializer: .heUniform,
        generator: rng),
      Dense(
        inputSize: 32, outputSize: 32, activation: .relu, weightInitializer: .heUniform,
        generator: rng),
      Dense(inputSize: 32, outputSize: 1, generator: rng),
    ])
    let loss = Self.fit(model, learningRate: 1e-2, steps: 800) {
      meanSquaredError(predicted: model(x), expected: y)
    }
    #expect(loss < 5e-3, "sine regression MSE after 800 steps: \(loss)")
  }

  @Test func smallConvNetLearnsToTellStripesApart() {
    // Horizontal versus vertical stripes in 6×6 images, through conv, pooling, batch norm and dropout.
    let rng = RandomGenerator(seed: 5)
    func image(vertical: Bool, phase: Int) -> [Float] {
      (0..<36).map { i in Float(((vertical ? i % 6 : i / 6) + phase) % 2) }
    }
    var pixels: [Float] = []
    var labels: [Int] = []
    for k in 0..<16 {
      pixels += image(vertical: k % 2 == 0, phase: k / 2 % 2)
      labels.append(k % 2)
    }
    let x = Tensor(shape: [16, 1, 6, 6], scalars: pixels)
    let model = Sequential([
      Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, generator: rng),
      BatchNorm(featureCount: 4),
      Activation(.relu),
      MaxPool2D(size: 2),
      Flatten(),
      Dropout(rate: 0.1, generator: rng),
      Dense(inputSize: 36, outputSize: 2, generator: rng),
    ])
    Self.fit(model, learningRate: 0.02, steps: 60) {
      softmaxCrossEntropy(logits: model(x), labels: labels)
    }
    model.setTraining(false)
    let predicted = withoutGradient { model(x).argmaxLastAxis() }
    #expect(predicted == labels)
  }
}

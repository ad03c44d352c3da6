import Foundation
import PlaygroundCore
import PlaygroundNN
import Testing

/// Small networks learn: the whole stack (layers, losses, autodiff, optimizers) working together.
@Suite struct LearningTests {
  @Test func learnsXOR() {
    let rng = RandomGenerator(seed: 3)
    let model = Sequential([
      Dense(inputSize: 2, outputSize: 8, activation: .tanh, generator: rng),
      Dense(inputSize: 8, outputSize: 1, generator: rng),
    ])
    let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor([[0], [1], [1], [0]])
    let optimizer = Adam(for: model, learningRate: 0.05)
    let first = sigmoidCrossEntropy(logits: model(x), labels: y).item
    var loss: Float = 0
    for _ in 0..<300 {
      optimizer.zeroGradients()
      let l = sigmoidCrossEntropy(logits: model(x), labels: y)
      l.backward()
      optimizer.step()
      loss = l.item
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
    let optimizer = Adam(for: model, learningRate: 1e-2)
    var loss: Float = .infinity
    for _ in 0..<800 {
      optimizer.zeroGradients()
      let l = meanSquaredError(predicted: model(x), expected: y)
      l.backward()
      optimizer.step()
      loss = l.item
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
    let optimizer = Adam(for: model, learningRate: 0.02)
    for _ in 0..<60 {
      optimizer.zeroGradients()
      softmaxCrossEntropy(logits: model(x), labels: labels).backward()
      optimizer.step()
    }
    model.setTraining(false)
    let predicted = withoutGradient { model(x).argmaxLastAxis() }
    #expect(predicted == labels)
  }
}

import PlaygroundConfig
import PlaygroundCore
import PlaygroundNN

/// Builds the network of a ``ClassifierModelKind`` for images of `rows × columns` pixels and
/// `classes` classes; every size comes from the data, none is hard-coded.
///
/// The network ends in the logits: the final softmax of `Dense(10, softmax)` is applied by
/// ``ImageClassifier``, so that the loss can be computed from the logits, as Keras does for a
/// softmax output (it keeps the logits on the tensor); that keeps unscaled 0–255 pixels trainable.
public enum ClassifierNetwork {
  public static func make(
    _ kind: ClassifierModelKind, rows: Int, columns: Int, classes: Int, hiddenUnits: Int,
    generator: RandomGenerator
  ) throws -> Sequential {
    switch kind {
    case .mlp:
      return Sequential([
        Flatten(),
        Dense(
          inputSize: rows * columns, outputSize: hiddenUnits, activation: .relu,
          generator: generator),
        Dense(
          inputSize: hiddenUnits, outputSize: classes, generator: generator),
      ])
    case .cnn:
      // Padding 2 keeps 28×28 after the first 5×5 convolution, as LeNet-5's 32×32 input did.
      let afterFirst = (rows / 2, columns / 2)
      let afterSecond = ((afterFirst.0 - 4) / 2, (afterFirst.1 - 4) / 2)
      guard afterSecond.0 >= 1, afterSecond.1 >= 1 else {
        throw RunError(
          "the cnn needs images of at least 12×12 pixels, got \(rows)×\(columns); use --model mlp")
      }
      return Sequential([
        Conv2D(
          inputChannels: 1, outputChannels: 16, kernelSize: 5, padding: 2, activation: .relu,
          generator: generator),
        MaxPool2D(size: 2),
        Conv2D(
          inputChannels: 16, outputChannels: 32, kernelSize: 5, activation: .relu,
          generator: generator),
        MaxPool2D(size: 2),
        Flatten(),
        Dense(
          inputSize: 32 * afterSecond.0 * afterSecond.1, outputSize: 128, activation: .relu,
          generator: generator),
        Dense(inputSize: 128, outputSize: classes, generator: generator),
      ])
    case .dpcnn:
      return try privateCNN(rows: rows, columns: columns, classes: classes, generator: generator)
    case .lstm, .gru:
      // [N, 1, rows, columns] → rows steps of columns pixels. The LSTM's forget gates start
      // open (bias +1, Keras' `unit_forget_bias`): with PyTorch's plain initialisation it
      // learns the 28 steps more slowly and less reliably.
      let recurrent: RecurrentStack =
        kind == .lstm
        ? LSTM(
          inputSize: columns, hiddenSize: hiddenUnits, returnsSequences: false,
          forgetGateBias: 1, generator: generator)
        : GRU(
          inputSize: columns, hiddenSize: hiddenUnits, returnsSequences: false,
          generator: generator)
      return Sequential([
        Reshape([rows, columns]), recurrent,
        Dense(inputSize: hiddenUnits, outputSize: classes, generator: generator),
      ])
    }
  }

  /// Opacus's `SampleConvNet` (examples/mnist.py), sized from the images: 28×28 gives
  /// 14×14 → 13×13 → 5×5 → 4×4 and 512 features.
  static func privateCNN(rows: Int, columns: Int, classes: Int, generator: RandomGenerator) throws
    -> Sequential
  {
    let side = { (size: Int) -> Int in ((size + 6 - 8) / 2 + 1 - 1 - 4) / 2 + 1 - 1 }
    guard rows >= 10, columns >= 10, side(rows) >= 1, side(columns) >= 1 else {
      throw RunError(
        "the dpcnn needs images of at least 10×10 pixels, got \(rows)×\(columns); use --model mlp")
    }
    let initializer = Initializer.pytorchDefault
    return Sequential([
      Conv2D(
        inputChannels: 1, outputChannels: 16, kernelSize: 8, stride: 2, padding: 3,
        activation: .relu, weightInitializer: initializer, biasInitializer: initializer,
        generator: generator),
      MaxPool2D(size: 2, stride: 1),
      Conv2D(
        inputChannels: 16, outputChannels: 32, kernelSize: 4, stride: 2, activation: .relu,
        weightInitializer: initializer, biasInitializer: initializer, generator: generator),
      MaxPool2D(size: 2, stride: 1),
      Flatten(),
      Dense(
        inputSize: 32 * side(rows) * side(columns), outputSize: 32, activation: .relu,
        weightInitializer: initializer, biasInitializer: initializer, generator: generator),
      Dense(
        inputSize: 32, outputSize: classes, weightInitializer: initializer,
        biasInitializer: initializer, generator: generator),
    ])
  }
}

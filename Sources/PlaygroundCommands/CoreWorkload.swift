import PlaygroundClassifier
import PlaygroundCore
import PlaygroundNN

/// One benchmark workload of `playground bench core`; `benchmarks/core_torch.py` defines the same
/// names and shapes for PyTorch.
struct CoreWorkload {
  let name: String
  /// Floating-point operations of one run (multiply and add counted separately); 0 when the
  /// workload measures overhead rather than arithmetic.
  let flops: Double
  /// Prepares inputs and returns the timed closure.
  let makeRun: () -> () -> Void

  static let gemmShapes: [(m: Int, k: Int, n: Int)] = [
    (32, 784, 128),  // Keras MLP, first layer, batch 32
    (32, 128, 10),  // Keras MLP, second layer
    (64, 256, 256),  // DQN hidden layer (zoo hyper-parameters)
    (128, 784, 512),  // MLP-GAN discriminator input
    (64, 1024, 784),  // MLP-GAN generator output
    (256, 1024, 1024),  // a large square-ish product
  ]

  static var all: [CoreWorkload] {
    gemmShapes.map(gemm) + [
      conv(batch: 32, channels: 1, size: 28, out: 32, kernel: 5, stride: 1, padding: 0),
      conv(batch: 64, channels: 1, size: 28, out: 64, kernel: 4, stride: 2, padding: 1),
      // The conditional DCGAN's discriminator input: the image and its label's channel.
      conv(batch: 64, channels: 2, size: 28, out: 64, kernel: 4, stride: 2, padding: 1),
      conv(batch: 64, channels: 64, size: 14, out: 128, kernel: 4, stride: 2, padding: 1),
      convTranspose(batch: 64, channels: 128, size: 7, out: 64, kernel: 4, stride: 2, padding: 1),
      // The DCGAN generator's output layer.
      convTranspose(batch: 64, channels: 64, size: 14, out: 1, kernel: 4, stride: 2, padding: 1),
      recurrent(.lstm), recurrent(.gru),
      addOverhead, mlpGANStep, cnnInference,
    ]
  }

  static func gemm(_ shape: (m: Int, k: Int, n: Int)) -> CoreWorkload {
    CoreWorkload(
      name: "sgemm \(shape.m)x\(shape.k)·\(shape.k)x\(shape.n)",
      flops: 2 * Double(shape.m * shape.k * shape.n)
    ) {
      let rng = RandomGenerator(seed: 0)
      let a = rng.normalTensor([shape.m, shape.k])
      let b = rng.normalTensor([shape.k, shape.n])
      return { _ = a.matmul(b) }
    }
  }

  /// conv2d forward and backward (gradients of input, weight and bias).
  static func conv(
    batch: Int, channels: Int, size: Int, out: Int, kernel: Int, stride: Int, padding: Int
  ) -> CoreWorkload {
    convolution(
      "conv2d", batch: batch, channels: channels, size: size, out: out, kernel: kernel,
      outSize: (size + 2 * padding - kernel) / stride + 1, stride: stride,
      weightShape: [out, channels, kernel, kernel], atOutput: true
    ) { x, w, b in x.conv2d(weight: w, bias: b, stride: stride, padding: padding) }
  }

  /// conv-transpose2d forward and backward.
  static func convTranspose(
    batch: Int, channels: Int, size: Int, out: Int, kernel: Int, stride: Int, padding: Int
  ) -> CoreWorkload {
    convolution(
      "convT2d", batch: batch, channels: channels, size: size, out: out, kernel: kernel,
      outSize: (size - 1) * stride - 2 * padding + kernel, stride: stride,
      weightShape: [channels, out, kernel, kernel], atOutput: false
    ) { x, w, b in x.convTranspose2d(weight: w, bias: b, stride: stride, padding: padding) }
  }

  /// A convolution's forward and backward passes; its FLOPs are three times the forward's,
  /// whose multiply-adds run over the output positions (`atOutput`, a convolution) or the input
  /// positions (a transposed one).
  private static func convolution(
    _ name: String, batch: Int, channels: Int, size: Int, out: Int, kernel: Int, outSize: Int,
    stride: Int, weightShape: [Int], atOutput: Bool,
    _ apply: @escaping (Tensor, Tensor, Tensor) -> Tensor
  ) -> CoreWorkload {
    let positions = atOutput ? outSize * outSize : size * size
    let forward = 2 * Double(batch * out * positions * channels * kernel * kernel)
    return CoreWorkload(
      name: "\(name) fwd+bwd \(batch)x\(channels)x\(size)² k\(kernel)s\(stride)→\(out)",
      flops: 3 * forward
    ) {
      let rng = RandomGenerator(seed: 0)
      let x = rng.normalTensor([batch, channels, size, size]).requiringGrad()
      let w = rng.normalTensor(weightShape).requiringGrad()
      let b = Tensor.zeros([out], requiresGrad: true)
      let seed = [Float](repeating: 1, count: batch * out * outSize * outSize)
      return {
        for t in [x, w, b] { t.zeroGradient() }
        apply(x, w, b).backward(seed: seed)
      }
    }
  }

  /// A recurrent layer forward and backward on digits read row by row: batch 32, 28 steps of
  /// 28 features, 128 hidden units (`playground classify mnist --model lstm`'s layer).
  static func recurrent(_ cell: RecurrentCell) -> CoreWorkload {
    let (batch, steps, features, hidden) = (32, 28, 28, 128)
    let gates = cell.gateCount * hidden
    let forward = 2 * Double(steps * batch * gates * (features + hidden))
    return CoreWorkload(
      name: "\(cell == .lstm ? "LSTM" : "GRU") fwd+bwd \(batch)x\(steps) \(features)→\(hidden)",
      flops: 3 * forward
    ) {
      let rng = RandomGenerator(seed: 0)
      let layer: RecurrentStack =
        cell == .lstm
        ? LSTM(inputSize: features, hiddenSize: hidden, generator: rng)
        : GRU(inputSize: features, hiddenSize: hidden, generator: rng)
      let x = rng.normalTensor([batch, steps, features]).requiringGrad()
      let seed = [Float](repeating: 1, count: batch * steps * hidden)
      return {
        x.zeroGradient()
        layer.zeroGradients()
        layer(x).backward(seed: seed)
      }
    }
  }

  /// The fixed cost of one recorded operation: a 4×4 add, forward and backward.
  static var addOverhead: CoreWorkload {
    CoreWorkload(name: "add 4x4 fwd+bwd (per-op overhead)", flops: 0) {
      let a = Tensor.ones([4, 4], requiresGrad: true)
      let b = Tensor.ones([4, 4], requiresGrad: true)
      let seed = [Float](repeating: 1, count: 16)
      return {
        a.zeroGradient()
        b.zeroGradient()
        (a + b).backward(seed: seed)
      }
    }
  }
}

extension CoreWorkload {
  /// One training iteration of the fully connected GAN of `shared/anchors/torch_gan_mnist.py`
  /// (G: 100→128→256→512→1024→784 with batch norm, LeakyReLU 0.2, tanh; D: 784→512→256→1,
  /// LeakyReLU 0.2), batch 64, Adam 2e-4 β₁ 0.5: a discriminator step on real and fake images,
  /// then a generator step.
  static var mlpGANStep: CoreWorkload {
    CoreWorkload(name: "MLP GAN iteration, batch 64", flops: 0) {
      let rng = RandomGenerator(seed: 0)
      var generatorLayers: [any Layer] = []
      let sizes = [100, 128, 256, 512, 1024]
      for (index, (a, b)) in zip(sizes, sizes.dropFirst()).enumerated() {
        generatorLayers.append(
          Dense(inputSize: a, outputSize: b, weightInitializer: .pytorchDefault, generator: rng))
        if index > 0 {
          generatorLayers.append(BatchNorm(featureCount: b, momentum: 0.2, epsilon: 0.8))
        }
        generatorLayers.append(Activation(.leakyRelu(negativeSlope: 0.2)))
      }
      generatorLayers.append(
        Dense(
          inputSize: 1024, outputSize: 784, activation: .tanh, weightInitializer: .pytorchDefault,
          generator: rng))
      let generator = Sequential(generatorLayers)
      let discriminator = Sequential([
        Dense(
          inputSize: 784, outputSize: 512, activation: .leakyRelu(negativeSlope: 0.2),
          weightInitializer: .pytorchDefault, generator: rng),
        Dense(
          inputSize: 512, outputSize: 256, activation: .leakyRelu(negativeSlope: 0.2),
          weightInitializer: .pytorchDefault, generator: rng),
        Dense(inputSize: 256, outputSize: 1, weightInitializer: .pytorchDefault, generator: rng),
      ])
      let optimizerG = Adam(for: generator, learningRate: 2e-4, beta1: 0.5)
      let optimizerD = Adam(for: discriminator, learningRate: 2e-4, beta1: 0.5)
      let real = rng.uniformTensor([64, 784], in: -1..<1)
      let ones = Tensor.ones([64, 1])
      let zeros = Tensor.zeros([64, 1])
      return {
        let noise = rng.normalTensor([64, 100])
        let fake = generator(noise)
        optimizerD.zeroGradients()
        let lossD =
          sigmoidCrossEntropy(logits: discriminator(real), labels: ones)
          + sigmoidCrossEntropy(logits: discriminator(fake.detached()), labels: zeros)
        lossD.backward()
        optimizerD.step()
        optimizerG.zeroGradients()
        sigmoidCrossEntropy(logits: discriminator(fake), labels: ones).backward()
        optimizerG.step()
      }
    }
  }
}

extension CoreWorkload {
  /// The classifier's CNN (`classify mnist --model cnn`) on a batch of 256 digits, in evaluation
  /// mode without gradients, as `ImageClassifier.logits` runs it: one fused oneDNN chain on
  /// oneDNN, the layers one by one on OpenBLAS.
  static var cnnInference: CoreWorkload {
    CoreWorkload(name: "CNN inference, batch 256", flops: 2 * 256 * 1_697_280) {
      let rng = RandomGenerator(seed: 0)
      let network = try! ClassifierNetwork.make(
        .cnn, rows: 28, columns: 28, classes: 10, hiddenUnits: 128, generator: rng)
      network.setTraining(false)
      let fused = FusedInference(network)
      let images = rng.uniformTensor([256, 1, 28, 28], in: 0..<1)
      return { _ = withoutGradient { fused?(images) ?? network(images) } }
    }
  }
}

import PlaygroundCore

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
      conv(batch: 64, channels: 64, size: 14, out: 128, kernel: 4, stride: 2, padding: 1),
      convTranspose(batch: 64, channels: 128, size: 7, out: 64, kernel: 4, stride: 2, padding: 1),
      addOverhead,
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
    let outSize = (size + 2 * padding - kernel) / stride + 1
    let forward = 2 * Double(batch * out * outSize * outSize * channels * kernel * kernel)
    return CoreWorkload(
      name: "conv2d fwd+bwd \(batch)x\(channels)x\(size)² k\(kernel)s\(stride)→\(out)",
      flops: 3 * forward
    ) {
      let rng = RandomGenerator(seed: 0)
      let x = rng.normalTensor([batch, channels, size, size]).requiringGrad()
      let w = rng.normalTensor([out, channels, kernel, kernel]).requiringGrad()
      let b = Tensor.zeros([out], requiresGrad: true)
      let seed = [Float](repeating: 1, count: batch * out * outSize * outSize)
      return {
        for t in [x, w, b] { t.zeroGradient() }
        x.conv2d(weight: w, bias: b, stride: stride, padding: padding).backward(seed: seed)
      }
    }
  }

  /// conv-transpose2d forward and backward.
  static func convTranspose(
    batch: Int, channels: Int, size: Int, out: Int, kernel: Int, stride: Int, padding: Int
  ) -> CoreWorkload {
    let outSize = (size - 1) * stride - 2 * padding + kernel
    let forward = 2 * Double(batch * channels * size * size * out * kernel * kernel)
    return CoreWorkload(
      name: "convT2d fwd+bwd \(batch)x\(channels)x\(size)² k\(kernel)s\(stride)→\(out)",
      flops: 3 * forward
    ) {
      let rng = RandomGenerator(seed: 0)
      let x = rng.normalTensor([batch, channels, size, size]).requiringGrad()
      let w = rng.normalTensor([channels, out, kernel, kernel]).requiringGrad()
      let b = Tensor.zeros([out], requiresGrad: true)
      let seed = [Float](repeating: 1, count: batch * out * outSize * outSize)
      return {
        for t in [x, w, b] { t.zeroGradient() }
        x.convTranspose2d(weight: w, bias: b, stride: stride, padding: padding).backward(seed: seed)
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

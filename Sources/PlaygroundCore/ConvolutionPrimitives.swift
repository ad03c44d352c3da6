import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// The sizes of one convolution or transposed convolution, the key of oneDNN's primitives.
///
/// `input` is the operation's source (`[N, C, H, W]`), `output` its destination; `weight` uses
/// PyTorch's layout: `[out, in, kh, kw]` for a convolution, `[in, out, kh, kw]` for a transposed
/// one.
struct ConvolutionKey: Hashable {
  enum Operation: Hashable { case convolution, transposed }
  let operation: Operation
  let input: [Int]
  let output: [Int]
  let kernel: [Int]
  let stride: Int
  let padding: Int
  let hasBias: Bool
  /// A leaky ReLU of this slope (> 0) that the forward primitive applies to its output, as a
  /// post-op inside oneDNN's convolution (an `eltwise_relu` with α = slope: `x` for `x > 0`,
  /// `α·x` otherwise, the bits of the playground's own kernel), or `nil`.
  var leakySlope: Float? = nil

  /// Padding at the bottom and right that makes oneDNN's size rule give `output` exactly (it may
  /// differ from `padding`: a strided window that does not reach the last rows, an output
  /// padding).
  var paddingAfter: [Int] {
    (0..<2).map { axis in
      let (inSize, outSize, k) = (input[2 + axis], output[2 + axis], kernel[axis])
      switch operation {
      case .convolution: return (outSize - 1) * stride + k - inSize - padding
      case .transposed: return (inSize - 1) * stride + k - outSize - padding
      }
    }
  }
}

extension ConvolutionKey {
  /// oneDNN's algorithms to try, in order, for the forward and backward-data primitives of this
  /// shape. A 3×3 convolution of stride 1 is tried first as Winograd's F(4×4, 3×3) (Lavin &
  /// Gray, 2016), which oneDNN has for AVX-512 with channels in blocks of 16: 2.25 times fewer
  /// multiplications, and in the flow U-Net's 28×28 layers 30% less time in both (a training
  /// step 1.3× faster). Its transforms round differently from a direct sum: in the U-Net's
  /// PyTorch check, gradient errors up to 6e-6 of each tensor's largest value, 2–4 times a
  /// direct sum's. Everything else, and a 3×3 shape oneDNN has no Winograd for (other vector
  /// widths, channels not in blocks of 16), is direct; the weights' gradient is always direct
  /// (Winograd's is no faster there).
  var algorithms: [dnnl_alg_kind_t] {
    guard operation == .convolution else { return [dnnl_deconvolution_direct] }
    let winograd = kernel == [3, 3] && stride == 1
    return winograd
      ? [dnnl_convolution_winograd, dnnl_convolution_direct] : [dnnl_convolution_direct]
  }

  /// Whether the forward primitive adds the bias. A transposed convolution's is added by the
  /// playground after it: oneDNN 2.6 runs a transposed convolution as a convolution's backward
  /// data step followed by a bias loop of its own, which took 1.4 of the 4.7 ms of the DCGAN
  /// generator's 128 → 64 layer (batch 64); the playground's threaded kernel takes a tenth of
  /// that, with the same bits (one addition per element either way).
  var biasInForwardPrimitive: Bool { hasBias && operation == .convolution }

  /// The multiply-adds of its forward pass (each backward step does as many).
  var multiplyAdds: Int {
    let weights = output[1] * input[1] * kernel[0] * kernel[1]
    switch operation {
    case .convolution: return output[0] * output[2] * output[3] * weights
    case .transposed: return input[0] * input[2] * input[3] * weights
    }
  }

  /// The key of a convolution of an NCHW `input` with a `[out, in, kh, kw]` weight, its output
  /// `[N, out, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1]`.
  init(convolving input: [Int], weightShape: [Int], stride: Int, padding: Int, hasBias: Bool) {
    self.init(
      operation: .convolution, input: input,
      output: [
        input[0], weightShape[0], (input[2] + 2 * padding - weightShape[2]) / stride + 1,
        (input[3] + 2 * padding - weightShape[3]) / stride + 1,
      ],
      kernel: Array(weightShape.suffix(2)), stride: stride, padding: padding, hasBias: hasBias)
  }
}

/// The forward, backward-data and backward-weights primitives of one convolution shape, in the
/// memory layouts oneDNN chooses (blocked by 8 or 16 channels on AVX2 and AVX-512), with the
/// reorders between those and the playground's NCHW arrays.
///
/// Created once per shape and kept by ``OneDNN``; used only under its lock.
final class ConvolutionPrimitives {
  let forward: OneDNNStep
  let backwardData: OneDNNStep
  let backwardWeights: OneDNNStep

  /// `nil` when oneDNN has no implementation for the shape (e.g. negative end padding); the
  /// caller then uses im2col and a matrix product.
  init?(_ key: ConvolutionKey, library: OneDNN) {
    for algorithm in key.algorithms {
      let builder = Builder(key: key, library: library, algorithm: algorithm)
      guard let forward = builder.forward(),
        let backwardData = builder.backwardData(hint: forward.descriptor),
        let backwardWeights = builder.backwardWeights(hint: forward.descriptor)
      else { continue }
      (self.forward, self.backwardData, self.backwardWeights) =
        (forward, backwardData, backwardWeights)
      return
    }
    return nil
  }

  /// Whether two steps take an argument in the same layout, so that one copy serves both.
  func sameLayout(
    _ a: OneDNNStep, _ argumentA: Int32, _ b: OneDNNStep, _ argumentB: Int32, library: OneDNN
  ) -> Bool {
    guard var first = a.ports[argumentA]?.chosen, var second = b.ports[argumentB]?.chosen else {
      return false
    }
    return library.api.memoryDescEqual(&first, &second) != 0
  }
}

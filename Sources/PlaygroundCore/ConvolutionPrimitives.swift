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
    let builder = Builder(key: key, library: library)
    guard let forward = builder.forward(),
      let backwardData = builder.backwardData(hint: forward.descriptor),
      let backwardWeights = builder.backwardWeights(hint: forward.descriptor)
    else { return nil }
    self.forward = forward
    self.backwardData = backwardData
    self.backwardWeights = backwardWeights
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

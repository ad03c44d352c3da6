import PlaygroundCore
import PlaygroundNN

/// A residual block of a diffusion U-Net (Ho et al., 2020, simplified): `GroupNorm → SiLU → 3×3
/// conv`, plus the block's projection of the conditioning embedding added to every pixel of
/// each channel, then `GroupNorm → SiLU → 3×3 conv`, plus the input (through a 1×1 conv when the
/// width changes). Names as in PyTorch's modules: `n1`, `c1`, `e`, `n2`, `c2`, `skip`.
public final class UNetBlock: Layer {
  public let n1: GroupNorm
  public let c1: Conv2D
  /// The conditioning embedding's projection to the block's width.
  public let e: Dense
  public let n2: GroupNorm
  public let c2: Conv2D
  /// The 1×1 convolution of the input where the width changes.
  public let skip: Conv2D?

  /// - Parameters:
  ///   - groups: GroupNorm's groups (dividing both widths).
  ///   - embedding: the length of the conditioning vector.
  public init(
    inputChannels: Int, outputChannels: Int, embedding: Int, groups: Int,
    generator: RandomGenerator
  ) {
    func conv(_ input: Int, _ output: Int, _ kernel: Int) -> Conv2D {
      Conv2D(
        inputChannels: input, outputChannels: output, kernelSize: kernel, padding: kernel / 2,
        weightInitializer: .pytorchDefault, biasInitializer: .pytorchDefault,
        generator: generator)
    }
    n1 = GroupNorm(groups: groups, channels: inputChannels)
    c1 = conv(inputChannels, outputChannels, 3)
    e = Dense(
      inputSize: embedding, outputSize: outputChannels, weightInitializer: .pytorchDefault,
      biasInitializer: .pytorchDefault, generator: generator)
    n2 = GroupNorm(groups: groups, channels: outputChannels)
    c2 = conv(outputChannels, outputChannels, 3)
    skip = inputChannels == outputChannels ? nil : conv(inputChannels, outputChannels, 1)
  }

  /// The block applied to `x` (`[N, C, H, W]`) with the conditioning `embedding` (`[N, E]`).
  public func callAsFunction(_ x: Tensor, embedding: Tensor) -> Tensor {
    let h = c1(n1(x, thenSiLU: true)).addingPerChannel(e(embedding))
    return c2(n2(h, thenSiLU: true)) + (skip.map { $0(x) } ?? x)
  }

  /// Without conditioning (a zero embedding adds only the projection's bias).
  public func callAsFunction(_ x: Tensor) -> Tensor {
    callAsFunction(x, embedding: Tensor.zeros([x.shape[0], e.inputSize]))
  }

  public var namedParameters: [NamedTensor] {
    var named: [(String, any Layer)] = [("n1", n1), ("c1", c1), ("e", e), ("n2", n2), ("c2", c2)]
    if let skip { named.append(("skip", skip)) }
    return named.flatMap { prefix, layer in
      layer.namedParameters.map { ("\(prefix).\($0.name)", $0.tensor) }
    }
  }
}

import PlaygroundCore
import PlaygroundNN

/// The velocity network of flow matching: a class-conditional U-Net for square images whose side
/// is divisible by 4 (`shared/anchors/torch_flow_mnist.py`'s, with its module names, so that its
/// state dict loads here). Three levels of ``UNetBlock`` (widths w₀, w₁, w₂ at side, side/2,
/// side/4), a middle block, and three up blocks that take the matching down block's output
/// concatenated along the channels; 2×2 average pooling down, nearest upsampling up. The
/// conditioning is the sinusoidal time embedding through a two-layer MLP (SiLU between) plus the
/// label's embedding; label `classes` means "no label" (for classifier-free guidance).
public final class FlowUNet: Layer {
  public let widths: [Int]
  public let embeddingSize: Int
  public let classes: Int
  /// The side of the square images it was trained on (28 unless set).
  public var side = 28
  // The parts, named as PyTorch's modules (read by the ONNX export, which writes the same
  // graph as ``velocity(_:times:labels:)``).
  /// The time's sinusoidal embedding, then the time MLP `t0 → SiLU → t2`.
  public let time: SinusoidalEmbedding
  public let t0: Dense
  public let t2: Dense
  /// The label's embedding (row `classes`: no label).
  public let y: Embedding
  /// The first convolution, 1 → w₀ channels.
  public let inp: Conv2D
  /// The down blocks, the middle block and the up blocks.
  public let d0: UNetBlock
  public let d1: UNetBlock
  public let d2: UNetBlock
  public let mid: UNetBlock
  public let u2: UNetBlock
  public let u1: UNetBlock
  public let u0: UNetBlock
  /// The output's `GroupNorm → SiLU → conv` (w₀ → 1 channel).
  public let outNorm: GroupNorm
  public let out: Conv2D

  /// - Parameters:
  ///   - widths: the channels at the three levels (e.g. 32, 64, 64), each divisible by `groups`.
  ///   - embeddingSize: the conditioning vector's length.
  ///   - timeFeatures: the sinusoidal time embedding's length (128), the time MLP's input.
  public init(
    widths: [Int], embeddingSize: Int, timeFeatures: Int = 128, groups: Int, classes: Int,
    generator: RandomGenerator
  ) {
    precondition(widths.count == 3, "FlowUNet has three levels, got widths \(widths)")
    (self.widths, self.embeddingSize, self.classes) = (widths, embeddingSize, classes)
    func dense(_ input: Int, _ output: Int) -> Dense {
      Dense(
        inputSize: input, outputSize: output, weightInitializer: .pytorchDefault,
        biasInitializer: .pytorchDefault, generator: generator)
    }
    func block(_ input: Int, _ output: Int) -> UNetBlock {
      UNetBlock(
        inputChannels: input, outputChannels: output, embedding: embeddingSize, groups: groups,
        generator: generator)
    }
    func conv(_ input: Int, _ output: Int) -> Conv2D {
      Conv2D(
        inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1,
        weightInitializer: .pytorchDefault, biasInitializer: .pytorchDefault,
        generator: generator)
    }
    time = SinusoidalEmbedding(dimension: timeFeatures)
    t0 = dense(timeFeatures, embeddingSize)
    t2 = dense(embeddingSize, embeddingSize)
    y = Embedding(count: classes + 1, dimension: embeddingSize, generator: generator)
    inp = conv(1, widths[0])
    d0 = block(widths[0], widths[0])
    d1 = block(widths[0], widths[1])
    d2 = block(widths[1], widths[2])
    mid = block(widths[2], widths[2])
    u2 = block(widths[2] * 2, widths[1])
    u1 = block(widths[1] * 2, widths[0])
    u0 = block(widths[0] * 2, widths[0])
    outNorm = GroupNorm(groups: groups, channels: widths[0])
    out = conv(widths[0], 1)
  }

  /// The label that stands for "no label".
  public var unconditionalLabel: Int { classes }

  /// The velocity at images `x` (`[N, 1, side, side]`), times `t` (one each, in [0, 1]) and
  /// labels (one each, `classes` for none).
  public func velocity(_ x: Tensor, times t: [Float], labels: [Int]) -> Tensor {
    precondition(
      x.rank == 4 && x.shape[1] == 1 && x.shape[0] == t.count && t.count == labels.count,
      "FlowUNet takes [N, 1, H, W] images with one time and one label each, got \(x.shape), \(t.count) times, \(labels.count) labels"
    )
    let e = t2(t0(time(t)).silu()) + y(labels)
    let h0 = d0(inp(x), embedding: e)
    let h1 = d1(h0.averagePooled2x2(), embedding: e)
    let h2 = d2(h1.averagePooled2x2(), embedding: e)
    let m = mid(h2, embedding: e)
    var u = u2(Tensor.concatenate([m, h2], alongAxis: 1), embedding: e)
    u = u1(Tensor.concatenate([u.upsampledNearest2x(), h1], alongAxis: 1), embedding: e)
    u = u0(Tensor.concatenate([u.upsampledNearest2x(), h0], alongAxis: 1), embedding: e)
    return out(outNorm(u, thenSiLU: true))
  }

  /// The velocity at t = 0.5 without labels (for the `Layer` protocol; use
  /// ``velocity(_:times:labels:)``).
  public func callAsFunction(_ x: Tensor) -> Tensor {
    let n = x.shape[0]
    return velocity(
      x, times: [Float](repeating: 0.5, count: n),
      labels: [Int](repeating: unconditionalLabel, count: n))
  }

  public var namedParameters: [NamedTensor] {
    let layers: [(String, any Layer)] = [
      ("t.0", t0), ("t.2", t2), ("inp", inp), ("d0", d0), ("d1", d1), ("d2", d2), ("mid", mid),
      ("u2", u2), ("u1", u1), ("u0", u0), ("out.0", outNorm), ("out.2", out),
    ]
    var named = layers.flatMap { prefix, layer in
      layer.namedParameters.map { ("\(prefix).\($0.name)", $0.tensor) }
    }
    named.insert(("y.weight", y.weight), at: 4)
    return named
  }
}

import PlaygroundCore

/// Group normalization over the channels of `[N, C, H, W]` (Wu & He, 2018; PyTorch's
/// `nn.GroupNorm`): each sample's channels in `groups` groups, each group normalized over its
/// channels and pixels, then a per-channel scale γ (1) and shift β (0). Per sample, so the same
/// in training and evaluation, and usable where batch norm is not (differential privacy, small
/// batches, the U-Net of flow matching).
public final class GroupNorm: Layer {
  /// γ, `[channels]`.
  public let weight: Tensor
  /// β, `[channels]`.
  public let bias: Tensor
  public let groups: Int
  public let epsilon: Float

  /// - Precondition: `groups` divides `channels`.
  public init(groups: Int, channels: Int, epsilon: Float = 1e-5) {
    precondition(
      groups > 0 && channels > 0 && channels % groups == 0,
      "GroupNorm needs groups (\(groups)) dividing channels (\(channels))")
    weight = Tensor.ones([channels], requiresGrad: true)
    bias = Tensor.zeros([channels], requiresGrad: true)
    self.groups = groups
    self.epsilon = epsilon
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    callAsFunction(input, thenSiLU: false)
  }

  /// With `thenSiLU`, `self(input).silu()` in one pass each way and with the same bits (a
  /// U-Net's `GroupNorm → SiLU`).
  public func callAsFunction(_ input: Tensor, thenSiLU: Bool) -> Tensor {
    input.groupNormalized(
      groups: groups, weight: weight, bias: bias, epsilon: epsilon, thenSiLU: thenSiLU)
  }

  public var namedParameters: [NamedTensor] { [("weight", weight), ("bias", bias)] }
}

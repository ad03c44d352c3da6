/// A float network's forward pass for inference as one chain of oneDNN primitives: each
/// convolution and dense layer one primitive with its bias and ReLU fused, max pooling in
/// oneDNN, and the activations kept in the layouts the primitives choose (16-channel blocks for
/// the convolutions) from the first layer to the last — the input is reordered once and only the
/// output comes back to the plain layout. It computes what the layers do one by one, up to float
/// rounding (oneDNN's kernels sum in their own order), as onnxruntime runs an exported model.
///
/// On the OpenBLAS backend, or for a shape oneDNN has no kernels for, ``callAsFunction(_:)``
/// returns `nil` and the caller runs the layers one by one.
///
/// The weights are read at every call (reordered into the primitives' layouts, which costs
/// about a hundredth of a batch's time), so a chain made once follows training.
public final class InferenceChain: @unchecked Sendable {
  /// One layer of the chain.
  public enum Stage {
    /// Cross-correlation with `weight` `[out, in, kh, kw]` (PyTorch's `conv2d`), `bias` `[out]`,
    /// then ReLU when `relu`.
    case convolution(weight: Tensor, bias: Tensor?, stride: Int, padding: Int, relu: Bool)
    /// Max pooling over windows of `size` moved by `stride`, without padding.
    case maxPool(size: Int, stride: Int)
    /// `x · weightᵀ + bias` with `weight` `[out, in]` (then ReLU when `relu`); an NCHW input is
    /// flattened in NCHW order first, as PyTorch's `flatten`.
    case dense(weight: Tensor, bias: Tensor?, relu: Bool)
  }

  let stages: [Stage]
  /// oneDNN's plan per input shape and thread count; read and written only under its lock.
  var plans: [Threaded<[Int]>: OneDNNChainPlan?] = [:]

  public init(_ stages: [Stage]) {
    precondition(!stages.isEmpty, "an inference chain needs a stage")
    self.stages = stages
  }

  /// The chain's output for `input` (`[batch, channels, height, width]`, or `[batch, features]`
  /// when the first stage is dense): `[batch, out]` after a dense stage, NCHW after a convolution
  /// or pooling; `nil` when the backend is not oneDNN or oneDNN refuses a shape.
  public func callAsFunction(_ input: Tensor) -> Tensor? {
    let settings = Compute.settings
    guard settings.backend == .onednn, case .success(let library) = OneDNN.loaded,
      let shapes = Self.shapes(of: stages, input: input.shape)
    else { return nil }
    let work = zip(stages, shapes).reduce(0) { $0 + Self.multiplyAdds($1.0, input: $1.1) }
    let key = Threaded(input.shape, threads: settings.threads(forProduct: work))
    return library.exclusively(threads: key.threads) {
      if plans[key] == nil {
        plans[key] = OneDNNChainPlan(stages: stages, shapes: shapes, library: library)
      }
      guard let plan = plans[key]! else { return nil }
      return Tensor(shape: shapes.last!, scalars: plan.run(input.scalars, stages: stages))
    }
  }

  /// The input shape of every stage and, last, the output shape; `nil` when a stage cannot take
  /// what the one before gives.
  static func shapes(of stages: [Stage], input: [Int]) -> [[Int]]? {
    var shapes = [input]
    for stage in stages {
      let shape = shapes.last!
      switch stage {
      case .convolution(let weight, _, let stride, let padding, _):
        guard shape.count == 4, shape[1] == weight.shape[1] else { return nil }
        let (height, width) = (shape[2] + 2 * padding, shape[3] + 2 * padding)
        guard height >= weight.shape[2], width >= weight.shape[3] else { return nil }
        shapes.append([
          shape[0], weight.shape[0], (height - weight.shape[2]) / stride + 1,
          (width - weight.shape[3]) / stride + 1,
        ])
      case .maxPool(let size, let stride):
        guard shape.count == 4, shape[2] >= size, shape[3] >= size else { return nil }
        shapes.append([
          shape[0], shape[1], (shape[2] - size) / stride + 1, (shape[3] - size) / stride + 1,
        ])
      case .dense(let weight, _, _):
        guard shape.count >= 2, shape.dropFirst().reduce(1, *) == weight.shape[1] else {
          return nil
        }
        shapes.append([shape[0], weight.shape[0]])
      }
    }
    return shapes
  }

  /// The multiply-adds of `stage` on an input of `shape`.
  static func multiplyAdds(_ stage: Stage, input shape: [Int]) -> Int {
    switch stage {
    case .convolution(let weight, _, let stride, let padding, _):
      let outputs =
        ((shape[2] + 2 * padding - weight.shape[2]) / stride + 1)
        * ((shape[3] + 2 * padding - weight.shape[3]) / stride + 1)
      return shape[0] * outputs * weight.count
    case .maxPool: return 0
    case .dense(let weight, _, _): return shape[0] * weight.count
    }
  }
}

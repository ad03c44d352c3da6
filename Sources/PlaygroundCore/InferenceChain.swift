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
    /// An int8 layer with its epilogue: 8-bit input to the next layer's 8-bit input (made with
    /// an output scale), or to floats (the last layer). A chain of them takes 8-bit input.
    case quantized(QuantizedProduct)
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
    input.scalars.withUnsafeBytes { run($0.baseAddress!, shape: input.shape) }
  }

  /// The output of a chain of ``Stage/quantized(_:)`` stages for quantised `input` of `shape`,
  /// as ``callAsFunction(_:)``.
  public func callAsFunction(quantized input: [UInt8], shape: [Int]) -> Tensor? {
    precondition(input.count == shape.reduce(1, *), "\(input.count) bytes for shape \(shape)")
    return input.withUnsafeBytes { run($0.baseAddress!, shape: shape) }
  }

  /// Batches above this many images run in slices of it, so that a plan's buffers (kept
  /// between calls) stay bounded: about 80 MB for the classifier's CNN.
  public static let largestBatch = 1024
  /// Plans kept at most; more shapes than this start the cache afresh.
  static let keptPlans = 4

  private func run(_ input: UnsafeRawPointer, shape: [Int]) -> Tensor? {
    let settings = Compute.settings
    guard settings.backend == .onednn, case .success(let library) = OneDNN.loaded,
      let shapes = Self.shapes(of: stages, input: shape)
    else { return nil }
    let (batch, rest) = (shape[0], shape.dropFirst().reduce(1, *))
    let (inputBytes, outputs) = (
      rest * (stages[0].takesBytes ? 1 : MemoryLayout<Float>.size),
      shapes.last!.dropFirst().reduce(1, *)
    )
    var scalars: [Float] = []
    scalars.reserveCapacity(batch * outputs)
    for start in stride(from: 0, to: batch, by: Self.largestBatch) {
      let count = min(Self.largestBatch, batch - start)
      guard
        let slice = run(
          input + start * inputBytes, shape: [count] + shape.dropFirst(), library: library,
          settings: settings)
      else { return nil }
      scalars += slice
    }
    return Tensor(shape: shapes.last!, scalars: scalars)
  }

  /// One slice of at most ``largestBatch`` images through its plan.
  private func run(
    _ input: UnsafeRawPointer, shape: [Int], library: OneDNN, settings: ComputeSettings
  ) -> [Float]? {
    let shapes = Self.shapes(of: stages, input: shape)!
    let work = zip(stages, shapes).reduce(0) { $0 + $1.0.multiplyAdds(input: $1.1) }
    let key = Threaded(shape, threads: settings.threads(forProduct: work))
    return library.exclusively(threads: key.threads) {
      if plans[key] == nil {
        if plans.count >= Self.keptPlans { plans.removeAll() }
        plans[key] = OneDNNChainPlan(stages: stages, shapes: shapes, library: library)
      }
      return plans[key]!?.run(input, stages: stages)
    }
  }

  /// The input shape of every stage and, last, the output shape; `nil` when a stage cannot take
  /// what the one before gives.
  static func shapes(of stages: [Stage], input: [Int]) -> [[Int]]? {
    var shapes = [input]
    for stage in stages {
      guard let next = stage.output(for: shapes.last!) else { return nil }
      shapes.append(next)
    }
    return shapes
  }
}

extension InferenceChain.Stage {
  /// What a stage computes, by shape.
  enum Geometry {
    case convolution(weight: [Int], stride: Int, padding: Int)
    case pooling(size: Int, stride: Int)
    case dense(weight: [Int])
  }

  var geometry: Geometry {
    switch self {
    case .convolution(let weight, _, let stride, let padding, _):
      .convolution(weight: weight.shape, stride: stride, padding: padding)
    case .maxPool(let size, let stride): .pooling(size: size, stride: stride)
    case .dense(let weight, _, _): .dense(weight: weight.shape)
    case .quantized(let product):
      switch product.operation {
      case .convolution(let stride, let padding):
        .convolution(weight: product.weightShape, stride: stride, padding: padding)
      case .dense: .dense(weight: product.weightShape)
      }
    }
  }

  /// The stage's output shape for an input of `shape`, or `nil` when it cannot take it.
  func output(for shape: [Int]) -> [Int]? {
    switch geometry {
    case .convolution(let weight, let stride, let padding):
      guard shape.count == 4, shape[1] == weight[1] else { return nil }
      let (height, width) = (shape[2] + 2 * padding, shape[3] + 2 * padding)
      guard height >= weight[2], width >= weight[3] else { return nil }
      return [
        shape[0], weight[0], (height - weight[2]) / stride + 1, (width - weight[3]) / stride + 1,
      ]
    case .pooling(let size, let stride):
      guard shape.count == 4, shape[2] >= size, shape[3] >= size else { return nil }
      return [shape[0], shape[1], (shape[2] - size) / stride + 1, (shape[3] - size) / stride + 1]
    case .dense(let weight):
      guard shape.count >= 2, shape.dropFirst().reduce(1, *) == weight[1] else { return nil }
      return [shape[0], weight[0]]
    }
  }

  /// The multiply-adds of the stage on an input of `shape` (which it takes).
  func multiplyAdds(input shape: [Int]) -> Int {
    switch geometry {
    case .convolution(let weight, _, _):
      let output = self.output(for: shape)!
      return output[0] * output[2] * output[3] * weight.reduce(1, *)
    case .pooling: return 0
    case .dense(let weight): return shape[0] * weight.reduce(1, *)
    }
  }
}

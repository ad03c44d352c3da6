import PlaygroundKernels

/// An n-dimensional array of `Float` that can record the operations applied to it, so that
/// gradients flow back to it with ``backward()``.
///
/// Storage is contiguous and row-major (the last axis varies fastest), as in NumPy and PyTorch.
/// A tensor is a reference: like `torch.Tensor`, the parameters of a layer are shared between the
/// layer and its optimizer, which updates them in place. Every operation returns a new tensor and
/// never changes its inputs, so values that are only read behave like values.
///
/// ```swift
/// let w = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
/// let loss = (w * w).sum()
/// loss.backward()
/// w.gradient  // [2, 4]
/// ```
public final class Tensor {
  /// The size of each axis; `[]` for a scalar.
  public let shape: [Int]
  /// The elements in row-major order. Writing them bypasses automatic differentiation, like
  /// writing `tensor.data` in PyTorch: do it only to leaves (parameters), outside a recorded pass.
  public var scalars: [Float]
  /// Whether gradients are accumulated into this tensor (a leaf) or flow through it.
  public internal(set) var requiresGrad: Bool
  /// The gradient accumulated by ``backward()``, in the layout of ``scalars``; `nil` until a
  /// backward pass reaches this leaf. Intermediate results do not keep theirs, as in PyTorch.
  public internal(set) var gradient: [Float]?

  /// The tensors this one was computed from (empty for leaves and untracked results).
  var inputs: [Tensor] = []
  /// Given the gradient with respect to this tensor, adds the inputs' gradients to them.
  var pullback: (([Float]) -> Void)?

  /// Creates a tensor from its elements in row-major order.
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative axis")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
    self.requiresGrad = requiresGrad
  }

  /// A tensor of the given shape with every element equal to `value`.
  public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
    self.init(
      shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)),
      requiresGrad: requiresGrad)
  }

  /// A rank-0 tensor holding `value`.
  public convenience init(_ value: Float) {
    self.init(shape: [], scalars: [value])
  }

  /// A rank-1 tensor holding `scalars`.
  public convenience init(_ scalars: [Float]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// A rank-2 tensor from its rows.
  /// - Precondition: every row has the same length.
  public convenience init(_ rows: [[Float]]) {
    let width = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == width }, "Rows of a matrix must have equal lengths")
    self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
  }

  /// A tensor of zeros.
  public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    Tensor(repeating: 0, shape: shape, requiresGrad: requiresGrad)
  }

  /// A tensor of ones.
  public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    Tensor(repeating: 1, shape: shape, requiresGrad: requiresGrad)
  }

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { scalars.count }

  /// The only element of a one-element tensor, e.g. a loss.
  /// - Precondition: `count == 1`.
  public var item: Float {
    precondition(count == 1, "item needs a tensor with one element, shape is \(shape)")
    return scalars[0]
  }

  /// The gradient as a tensor of this tensor's shape, if one was accumulated.
  public var grad: Tensor? {
    gradient.map { Tensor(shape: shape, scalars: $0) }
  }

  /// A leaf copy of the values that no gradient flows back through (PyTorch's `detach`).
  public func detached() -> Tensor {
    Tensor(shape: shape, scalars: scalars)
  }

  /// Marks this leaf as one whose gradient is accumulated (PyTorch's `requires_grad_()`).
  /// - Precondition: the tensor is a leaf, not the result of a recorded operation.
  @discardableResult
  public func requiringGrad(_ flag: Bool = true) -> Tensor {
    precondition(pullback == nil, "requiringGrad applies to leaves; use detached() first")
    requiresGrad = flag
    if !flag { gradient = nil }
    return self
  }

  /// Forgets the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
  public func zeroGradient() {
    gradient = nil
  }

  /// Multiplies the accumulated gradient by `factor` in place (used by gradient clipping).
  public func scaleGradient(by factor: Float) {
    guard gradient != nil else { return }
    gradient!.withUnsafeMutableBufferPointer { g in
      for i in g.indices { g[i] *= factor }
    }
  }

  /// Adds `delta` (in the layout of ``scalars``) to the accumulated gradient.
  func accumulateGradient(_ delta: [Float]) {
    guard requiresGrad else { return }
    if gradient == nil {
      gradient = delta
      return
    }
    gradient!.withUnsafeMutableBufferPointer { g in
      delta.withUnsafeBufferPointer { d in
        Parallel.forEachElementChunk(g.count) {
          playground_add(g.baseAddress! + $0.lowerBound, d.baseAddress! + $0.lowerBound, $0.count)
        }
      }
    }
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(shown)\(count > 16 ? ", …" : "")])"
  }
}

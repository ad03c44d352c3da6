import PlaygroundCore
import PlaygroundKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `count` multilayer perceptrons of one shape — dense layers with ReLU between them — each with
/// its own parameters, evaluated and trained side by side: the Q-networks of a batch of seeds
/// (PureJaxRL's networks vectorized over seeds, on a CPU). Every network computes with the same
/// C kernels in the same order alone or among many (`playground_stacked_dense_*`), so network
/// `i`'s numbers never depend on the others; the networks of a call are split across threads
/// whole.
///
/// Network `i`'s parameters are one block of ``parameterCount`` floats: for each layer its
/// weight as `[in, out]` (the transpose of ``Dense``'s) and its bias.
public final class StackedMLP {
  /// The networks.
  public let count: Int
  /// Layer widths, input first: `[4, 64, 64, 2]`.
  public let sizes: [Int]
  /// Floats of one network's parameters.
  public let parameterCount: Int
  /// Every network's parameters, network after network.
  public let parameters: UnsafeMutablePointer<Float>
  /// Each layer's weight and bias offsets within a network's block.
  let offsets: [(weight: Int, bias: Int)]

  /// Networks with the parameters of `networks` (each a ``Sequential`` of ``Dense`` layers of
  /// widths `sizes`, ReLU between them, as `DQNAgent.network` makes).
  public init(_ networks: [Sequential]) {
    precondition(!networks.isEmpty, "a stack needs at least one network")
    let dense = networks[0].layers.map { $0 as! Dense }
    sizes = [dense[0].weight.shape[1]] + dense.map { $0.weight.shape[0] }
    var offsets: [(Int, Int)] = []
    var total = 0
    for (a, b) in zip(sizes, sizes.dropFirst()) {
      offsets.append((total, total + a * b))
      total += a * b + b
    }
    self.offsets = offsets
    parameterCount = total
    count = networks.count
    parameters = .allocate(capacity: count * total)
    parameters.initialize(repeating: 0, count: count * total)
    for (i, network) in networks.enumerated() { load(network, into: i) }
  }

  deinit { parameters.deallocate() }

  /// Layers of network `i`.
  public var layerCount: Int { sizes.count - 1 }

  /// The start of network `i`'s parameters.
  public func block(_ i: Int) -> UnsafeMutablePointer<Float> { parameters + i * parameterCount }

  /// Copies network `i`'s parameters into `network` (a ``Sequential`` of ``Dense`` layers of this
  /// shape), for saving, pictures and export.
  public func write(_ i: Int, into network: Sequential) {
    for (l, layer) in network.layers.enumerated() {
      let dense = layer as! Dense
      let (a, b) = (sizes[l], sizes[l + 1])
      precondition(dense.weight.shape == [b, a], "the network has this stack's shape")
      let (w, bias) = (block(i) + offsets[l].weight, block(i) + offsets[l].bias)
      var weight = [Float](repeating: 0, count: a * b)
      for k in 0..<a { for o in 0..<b { weight[o * a + k] = w[k * b + o] } }
      dense.weight.scalars = weight
      dense.bias?.scalars = Array(UnsafeBufferPointer(start: bias, count: b))
    }
  }

  private func load(_ network: Sequential, into i: Int) {
    for (l, layer) in network.layers.enumerated() {
      let dense = layer as! Dense
      let (a, b) = (sizes[l], sizes[l + 1])
      precondition(dense.weight.shape == [b, a], "every network of a stack has the same shape")
      let w = block(i) + offsets[l].weight
      for o in 0..<b { for k in 0..<a { w[k * b + o] = dense.weight.scalars[o * a + k] } }
      let bias = dense.bias?.scalars ?? [Float](repeating: 0, count: b)
      for o in 0..<b { block(i)[offsets[l].bias + o] = bias[o] }
    }
  }

  /// Copies network `i` of `source` into network `i` (`tau` 1), or moves it by `tau` toward it:
  /// p ← τ·q + (1 − τ)·p, as ``Layer/softUpdate(from:tau:)``.
  public func softUpdate(_ i: Int, from source: StackedMLP, tau: Float) {
    let (p, q) = (block(i), source.block(i))
    if tau == 1 {
      p.update(from: q, count: parameterCount)
    } else {
      for j in 0..<parameterCount { p[j] = tau * q[j] + (1 - tau) * p[j] }
    }
  }
}

extension StackedMLP {
  /// One network's activations for `rows` inputs, kept for its backward pass, and the buffers
  /// that pass needs: one per network and thread, reused from call to call.
  public final class Workspace {
    let rows: Int
    /// Per layer's output: `[rows, width]`, after the ReLU for hidden layers.
    let activations: [UnsafeMutablePointer<Float>]
    /// The gradient at each layer's output and its input.
    let gradient: UnsafeMutablePointer<Float>
    let inputGradient: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
    /// The input of the last forward pass.
    var input: UnsafePointer<Float>?

    public init(sizes: [Int], rows: Int) {
      self.rows = rows
      activations = sizes.dropFirst().map { .allocate(capacity: rows * $0) }
      let widest = sizes.max()!
      gradient = .allocate(capacity: rows * widest)
      inputGradient = .allocate(capacity: rows * widest)
      let side = Swift.max(rows, widest)
      scratch = .allocate(capacity: 4 * side * side)
    }

    deinit {
      for buffer in activations { buffer.deallocate() }
      gradient.deallocate()
      inputGradient.deallocate()
      scratch.deallocate()
    }

    /// The output of the last forward pass, `[rows, outputs]`.
    public var output: UnsafeMutablePointer<Float> { activations.last! }
    /// Where a backward pass reads the gradient at the output, `[rows, outputs]`: the caller
    /// writes it (the pass then uses the buffer as its own).
    public var outputGradient: UnsafeMutablePointer<Float> { gradient }
  }

  /// Network `i` on `rows` inputs (`[rows, sizes[0]]`, at most the workspace's rows): the
  /// output in `workspace.output`.
  public func forward(_ i: Int, _ input: UnsafePointer<Float>, rows: Int, in workspace: Workspace) {
    precondition(rows <= workspace.rows, "the workspace holds \(workspace.rows) rows, not \(rows)")
    workspace.input = input
    var x = input
    for l in 0..<layerCount {
      let y = workspace.activations[l]
      playground_stacked_dense_forward(
        x, block(i) + offsets[l].weight, block(i) + offsets[l].bias, y, workspace.scratch, 1,
        rows, sizes[l], sizes[l + 1], l < layerCount - 1 ? 1 : 0)
      x = UnsafePointer(y)
    }
  }

  /// The gradient of network `i`'s parameters (into `gradients`, ``parameterCount`` floats) for
  /// the gradient the caller wrote to `workspace.outputGradient` (`[rows, outputs]`), at the
  /// output of the last ``forward(_:_:rows:in:)`` in `workspace`.
  public func backward(
    _ i: Int, rows: Int, in workspace: Workspace, into gradients: UnsafeMutablePointer<Float>
  ) {
    var (dy, spare) = (workspace.gradient, workspace.inputGradient)
    for l in stride(from: layerCount - 1, through: 0, by: -1) {
      let x = l == 0 ? workspace.input! : UnsafePointer(workspace.activations[l - 1])
      let dx: UnsafeMutablePointer<Float>? = l == 0 ? nil : spare
      playground_stacked_dense_backward(
        x, block(i) + offsets[l].weight, dy, dx, gradients + offsets[l].weight,
        gradients + offsets[l].bias, workspace.scratch, 1, rows, sizes[l], sizes[l + 1])
      guard let dx else { break }
      // Through the ReLU of layer l − 1: zero where its output was zero.
      let a = workspace.activations[l - 1]
      for j in 0..<rows * sizes[l] where a[j] <= 0 { dx[j] = 0 }
      (dy, spare) = (dx, dy)
    }
  }
}

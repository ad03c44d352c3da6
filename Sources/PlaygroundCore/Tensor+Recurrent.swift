import Foundation
import PlaygroundKernels

/// The cell of a recurrent layer: PyTorch's `nn.RNN` (tanh), `nn.LSTM` and `nn.GRU`.
public enum RecurrentCell: String, Sendable, CaseIterable {
  /// Elman's RNN: `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`.
  case rnn
  /// Hochreiter & Schmidhuber (1997), gates `i, f, g, o` in PyTorch's order:
  /// `c' = f ⊙ c + i ⊙ g`, `h' = o ⊙ tanh(c')`.
  case lstm
  /// Cho et al. (2014), gates `r, z, n` in PyTorch's order:
  /// `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
  case gru

  /// Gate blocks stacked along the weights' first dimension: 1, 4 or 3.
  public var gateCount: Int {
    switch self {
    case .rnn: 1
    case .lstm: 4
    case .gru: 3
    }
  }
}

extension Tensor {
  /// One recurrent layer over a batch-first sequence, one direction, as PyTorch computes it.
  ///
  /// One fused operation with its own backward (backpropagation through time): the input
  /// projection of every step is one matrix product, each step's recurrent part one product with
  /// every gate together, and the backward pass mirrors it, ending in three products for the
  /// weights and the input.
  /// - Parameters:
  ///   - x: `[batch, steps, features]`.
  ///   - weightIH: `[gates·hidden, features]`; `weightHH`: `[gates·hidden, hidden]`.
  ///   - biasIH, biasHH: `[gates·hidden]`, or `nil`.
  ///   - initialHidden, initialCell: `[batch, hidden]`, or `nil` for zeros (the cell: LSTM only).
  /// - Returns: every step's hidden state `[batch, steps, hidden]`, the last hidden state and
  ///   (LSTM) the last cell state, `[batch, hidden]`.
  public static func recurrent(
    _ cell: RecurrentCell, input x: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?,
    biasHH: Tensor?, initialHidden: Tensor? = nil, initialCell: Tensor? = nil
  ) -> (output: Tensor, hidden: Tensor, cell: Tensor?) {
    let pass = RecurrentPass(
      cell, x: x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
      h0: initialHidden, c0: cell == .lstm ? initialCell : nil)
    let (n, t, h) = (pass.batch, pass.steps, pass.hidden)
    let extra = cell == .lstm ? 2 : 1
    let inputs =
      [x, weightIH, weightHH] + [biasIH, biasHH, initialHidden, initialCell].compactMap { $0 }
    let packed = Tensor.result(
      shape: [n, t + extra, h], scalars: pass.forward(), inputs: inputs, pullback: pass.backward)
    let output = packed.narrowed(alongAxis: 1, 0..<t)
    let last = packed.narrowed(alongAxis: 1, t..<(t + 1)).reshaped([n, h])
    let lastCell =
      cell == .lstm
      ? packed.narrowed(alongAxis: 1, (t + 1)..<(t + 2)).reshaped([n, h]) : nil
    return (output, last, lastCell)
  }
}

/// Floats owned by a ``RecurrentPass`` and freed with it, zero-filled unless asked not to: the
/// per-element loops of the cells run on its pointer at C speed.
final class FloatBuffer {
  let base: UnsafeMutablePointer<Float>
  let count: Int

  /// `count` floats, zeros unless `zeroed` is false (a buffer every element of which is written
  /// before it is read: zeroing a few megabytes a pass cost more than an LSTM step).
  init(_ count: Int, zeroed: Bool = true) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
    if zeroed { base.initialize(repeating: 0, count: max(count, 1)) }
  }

  convenience init(copying values: [Float]) {
    self.init(values.count, zeroed: false)
    values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
  }

  /// `count` states of `size` floats each, the first zeros and the others to be written.
  convenience init(states count: Int, zeroedFirst size: Int) {
    self.init(count * size, zeroed: false)
    if count > 0 { base.update(repeating: 0, count: size) }
  }

  /// The `[columns, rows]` transpose of the row-major `[rows, columns]` `values`, in tiles of
  /// 16 × 16 so that both sides stay in cache (column by column, it took 2% of an LSTM step).
  convenience init(transposing values: [Float], rows: Int, columns: Int) {
    self.init(values.count, zeroed: false)
    let tile = 16
    values.withUnsafeBufferPointer { source in
      for r0 in stride(from: 0, to: rows, by: tile) {
        for c0 in stride(from: 0, to: columns, by: tile) {
          for r in r0..<min(r0 + tile, rows) {
            for c in c0..<min(c0 + tile, columns) { base[c * rows + r] = source[r * columns + c] }
          }
        }
      }
    }
  }

  deinit { base.deallocate() }

  var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// The forward pass of ``Tensor/recurrent(_:input:weightIH:weightHH:biasIH:biasHH:initialHidden:initialCell:)``
/// and what its backward pass needs, kept between the two. Buffers are time-major
/// (`[steps, batch, …]`) so that each step's rows are contiguous for the matrix products.
final class RecurrentPass {
  let cell: RecurrentCell
  let x, weightIH, weightHH: Tensor
  let biasIH, biasHH, h0, c0: Tensor?
  let batch, steps, features, hidden, gates: Int
  /// The weights as they were in the forward pass.
  let wIH, wHH: FloatBuffer
  /// `W_hh` transposed, `[hidden, gates·hidden]`: the step's product `h · W_hhᵀ` reads it without
  /// a transpose, which oneDNN's `sgemm` runs in 60% of the time at a batch of 32.
  let wHHTransposed: FloatBuffer
  /// The input, time-major `[steps, batch, features]`.
  let xT: FloatBuffer
  /// Hidden states `[steps + 1, batch, hidden]`, the initial one first; cell states (LSTM) alike.
  let hs, cs: FloatBuffer
  /// Activated gates `[steps, batch, gates·hidden]` (LSTM, GRU; the RNN's are its hidden
  /// states); GRU: also `W_hn h + b_hn` `[steps, batch, hidden]`.
  let activations, candidateInputs: FloatBuffer

  init(
    _ cell: RecurrentCell, x: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?,
    biasHH: Tensor?, h0: Tensor?, c0: Tensor?
  ) {
    precondition(x.rank == 3, "a recurrent layer reads [batch, steps, features], got \(x.shape)")
    (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
    hidden = weightHH.shape.count == 2 ? weightHH.shape[1] : 0
    gates = cell.gateCount * hidden
    precondition(
      weightIH.shape == [gates, features] && weightHH.shape == [gates, hidden],
      "\(cell) weights must be [\(cell.gateCount)·hidden, \(features)] and [\(cell.gateCount)·hidden, hidden], got \(weightIH.shape) and \(weightHH.shape)"
    )
    for bias in [biasIH, biasHH].compactMap({ $0 }) {
      precondition(bias.shape == [gates], "\(cell) biases must be [\(gates)], got \(bias.shape)")
    }
    for state in [h0, c0].compactMap({ $0 }) {
      precondition(
        state.shape == [batch, hidden],
        "\(cell) initial states must be [\(batch), \(hidden)], got \(state.shape)")
    }
    (self.cell, self.x, self.weightIH, self.weightHH) = (cell, x, weightIH, weightHH)
    (self.biasIH, self.biasHH, self.h0, self.c0) = (biasIH, biasHH, h0, c0)
    (wIH, wHH) = (FloatBuffer(copying: weightIH.scalars), FloatBuffer(copying: weightHH.scalars))
    wHHTransposed = FloatBuffer(transposing: weightHH.scalars, rows: gates, columns: hidden)
    let (n, t) = (batch, steps)
    // Every step writes its rows of these; the states' first rows are zeros unless given.
    xT = FloatBuffer(t * n * features, zeroed: false)
    hs = FloatBuffer(states: t + 1, zeroedFirst: n * hidden)
    cs = FloatBuffer(states: cell == .lstm ? t + 1 : 0, zeroedFirst: n * hidden)
    activations = FloatBuffer(cell == .rnn ? 0 : t * n * gates, zeroed: false)
    candidateInputs = FloatBuffer(cell == .gru ? t * n * hidden : 0, zeroed: false)
  }

  /// `C[m×n] = op(A) · op(B) + beta · C` on raw buffers; `inStep`: a product of one step's
  /// recurrence, threaded by ``OperationGrain/recurrentSteps(on:)``.
  static func gemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, beta: Float = 0,
    inStep: Bool = false
  ) {
    guard m > 0, n > 0, k > 0 else { return }
    Compute.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta,
      c: c, grain: inStep ? OperationGrain.recurrentSteps(on:) : OperationGrain.products(on:))
  }

  /// `rows` copies of `bias` in `buffer` (nothing without one).
  static func fill(_ buffer: UnsafeMutablePointer<Float>, rows: Int, with bias: [Float]?) {
    guard let bias else { return }
    bias.withUnsafeBufferPointer { b in
      for r in 0..<rows { (buffer + r * b.count).update(from: b.baseAddress!, count: b.count) }
    }
  }

  /// Runs every step; returns `[batch, steps + 1 (+ 1), hidden]`: the outputs, the last hidden
  /// state and (LSTM) the last cell state.
  func forward() -> [Float] {
    let (n, t, i, h, g) = (batch, steps, features, hidden, gates)
    x.scalars.withUnsafeBufferPointer { source in
      for b in 0..<n {
        for s in 0..<t {
          (xT.base + (s * n + b) * i).update(from: source.baseAddress! + (b * t + s) * i, count: i)
        }
      }
    }
    // Every step's input projection at once, on its bias: for the RNN and the LSTM both biases,
    // so that each step's recurrent product adds into its rows in place; the GRU keeps
    // W_hn h + b_hn apart for its reset gate. A bias fills every row; without one the product
    // adds to zeros.
    let apart = cell == .gru
    let rowBias = apart ? biasIH?.scalars : Self.sum(biasIH, biasHH)
    let gx = FloatBuffer(t * n * g, zeroed: rowBias == nil)
    Self.fill(gx.base, rows: t * n, with: rowBias)
    Self.gemm(xT.base, wIH.base, gx.base, m: t * n, n: g, k: i, transposeB: true, beta: 1)
    if let h0 {
      h0.scalars.withUnsafeBufferPointer { hs.base.update(from: $0.baseAddress!, count: n * h) }
    }
    if let c0 {
      c0.scalars.withUnsafeBufferPointer { cs.base.update(from: $0.baseAddress!, count: n * h) }
    }
    let gh = apart ? FloatBuffer(n * g) : nil
    for s in 0..<t {
      let pre = gx.base + s * n * g
      if let gh {
        if biasHH == nil { gh.base.update(repeating: 0, count: n * g) }
        Self.fill(gh.base, rows: n, with: biasHH?.scalars)
      }
      Self.gemm(
        hs.base + s * n * h, wHHTransposed.base, gh?.base ?? pre, m: n, n: g, k: h, beta: 1,
        inStep: true)
      step(s, pre: pre, gh: gh?.base)
    }
    return packed()
  }

  /// `b_ih + b_hh`, either alone, or `nil` without both.
  static func sum(_ a: Tensor?, _ b: Tensor?) -> [Float]? {
    guard let a else { return b?.scalars }
    guard let b else { return a.scalars }
    return zip(a.scalars, b.scalars).map { $0 + $1 }
  }

  /// The gates and new states of step `s` (C kernels) from its pre-activations — for the GRU
  /// its input projection, with the recurrent one in `gh`.
  func step(_ s: Int, pre: UnsafePointer<Float>, gh: UnsafePointer<Float>?) {
    let (n, h, g) = (batch, hidden, gates)
    let hPrev = hs.base + s * n * h
    let hNext = hs.base + (s + 1) * n * h
    switch cell {
    case .rnn:
      playground_rnn_forward(pre, hNext, n, h)
    case .lstm:
      playground_lstm_forward(
        pre, activations.base + s * n * g, cs.base + s * n * h, cs.base + (s + 1) * n * h, hNext,
        n, h)
    case .gru:
      playground_gru_forward(
        pre, gh!, activations.base + s * n * g, candidateInputs.base + s * n * h, hPrev, hNext,
        n, h)
    }
  }

  /// `[batch, steps + extra, hidden]` from the time-major states.
  func packed() -> [Float] {
    let (n, t, h) = (batch, steps, hidden)
    let width = t + (cell == .lstm ? 2 : 1)
    var out = [Float](repeating: 0, count: n * width * h)
    out.withUnsafeMutableBufferPointer { out in
      for b in 0..<n {
        for s in 0...t {
          let source = hs.base + ((s == t ? t : s + 1) * n + b) * h
          (out.baseAddress! + (b * width + s) * h).update(from: source, count: h)
        }
        if cell == .lstm {
          (out.baseAddress! + (b * width + t + 1) * h).update(
            from: cs.base + (t * n + b) * h, count: h)
        }
      }
    }
    return out
  }
}

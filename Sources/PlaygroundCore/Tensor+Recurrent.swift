import Foundation

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

/// The forward pass of ``Tensor/recurrent(_:input:weightIH:weightHH:biasIH:biasHH:initialHidden:initialCell:)``
/// and what its backward pass needs, kept between the two. Buffers are time-major
/// (`[steps, batch, …]`) so that each step's rows are contiguous for the matrix products.
final class RecurrentPass {
  let cell: RecurrentCell
  let x, weightIH, weightHH: Tensor
  let biasIH, biasHH, h0, c0: Tensor?
  let batch, steps, features, hidden, gates: Int
  /// The input, time-major `[steps, batch, features]`.
  var xT: [Float] = []
  /// Hidden states `[steps + 1, batch, hidden]`, the initial one first; cell states (LSTM) alike.
  var hs: [Float] = []
  var cs: [Float] = []
  /// Activated gates `[steps, batch, gates·hidden]`; GRU: also `W_hn h + b_hn` `[steps, batch, hidden]`.
  var activations: [Float] = []
  var candidateInputs: [Float] = []

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
  }

  /// `C[m×n] = op(A) · op(B) + beta · C` on raw buffers.
  static func gemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, beta: Float = 0
  ) {
    guard m > 0, n > 0, k > 0 else { return }
    BLAS.shared.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta,
      c: c)
  }

  /// `rows` copies of `bias` (zeros without one).
  func tiled(_ bias: Tensor?, rows: Int, width: Int) -> [Float] {
    guard let bias else { return [Float](repeating: 0, count: rows * width) }
    var out = [Float](repeating: 0, count: rows * width)
    for r in 0..<rows { out[(r * width)..<((r + 1) * width)] = bias.scalars[...] }
    return out
  }

  /// Runs every step; returns `[batch, steps + 1 (+ 1), hidden]`: the outputs, the last hidden
  /// state and (LSTM) the last cell state.
  func forward() -> [Float] {
    let (n, t, i, h, g) = (batch, steps, features, hidden, gates)
    xT = [Float](repeating: 0, count: t * n * i)
    for b in 0..<n {
      for s in 0..<t {
        xT[((s * n + b) * i)..<((s * n + b + 1) * i)] =
          x.scalars[((b * t + s) * i)..<((b * t + s + 1) * i)]
      }
    }
    // Every step's input projection at once.
    var gx = tiled(biasIH, rows: t * n, width: g)
    xT.withUnsafeBufferPointer { xp in
      weightIH.scalars.withUnsafeBufferPointer { w in
        gx.withUnsafeMutableBufferPointer { out in
          Self.gemm(
            xp.baseAddress!, w.baseAddress!, out.baseAddress!, m: t * n, n: g, k: i,
            transposeB: true, beta: 1)
        }
      }
    }
    hs = [Float](repeating: 0, count: (t + 1) * n * h)
    if let h0 { hs[0..<(n * h)] = h0.scalars[...] }
    if cell == .lstm {
      cs = [Float](repeating: 0, count: (t + 1) * n * h)
      if let c0 { cs[0..<(n * h)] = c0.scalars[...] }
    }
    activations = [Float](repeating: 0, count: t * n * g)
    if cell == .gru { candidateInputs = [Float](repeating: 0, count: t * n * h) }
    let biasRows = tiled(biasHH, rows: n, width: g)
    var gh = biasRows
    for s in 0..<t {
      gh = biasRows
      hs.withUnsafeBufferPointer { hp in
        weightHH.scalars.withUnsafeBufferPointer { w in
          gh.withUnsafeMutableBufferPointer { out in
            Self.gemm(
              hp.baseAddress! + s * n * h, w.baseAddress!, out.baseAddress!, m: n, n: g, k: h,
              transposeB: true, beta: 1)
          }
        }
      }
      step(s, gx: gx, gh: gh)
    }
    return packed()
  }

  /// The gates and new states of step `s` from its input and recurrent projections.
  func step(_ s: Int, gx: [Float], gh: [Float]) {
    let (n, h, g) = (batch, hidden, gates)
    for b in 0..<n {
      let row = (s * n + b) * g
      let prev = (s * n + b) * h
      let next = ((s + 1) * n + b) * h
      for j in 0..<h {
        switch cell {
        case .rnn:
          let y = tanhf(gx[row + j] + gh[b * g + j])
          activations[row + j] = y
          hs[next + j] = y
        case .lstm:
          let gi = sigmoid(gx[row + j] + gh[b * g + j])
          let gf = sigmoid(gx[row + h + j] + gh[b * g + h + j])
          let gg = tanhf(gx[row + 2 * h + j] + gh[b * g + 2 * h + j])
          let go = sigmoid(gx[row + 3 * h + j] + gh[b * g + 3 * h + j])
          (activations[row + j], activations[row + h + j]) = (gi, gf)
          (activations[row + 2 * h + j], activations[row + 3 * h + j]) = (gg, go)
          let c = gf * cs[prev + j] + gi * gg
          cs[next + j] = c
          hs[next + j] = go * tanhf(c)
        case .gru:
          let r = sigmoid(gx[row + j] + gh[b * g + j])
          let z = sigmoid(gx[row + h + j] + gh[b * g + h + j])
          let hn = gh[b * g + 2 * h + j]
          let candidate = tanhf(gx[row + 2 * h + j] + r * hn)
          (activations[row + j], activations[row + h + j]) = (r, z)
          activations[row + 2 * h + j] = candidate
          candidateInputs[prev + j] = hn
          hs[next + j] = (1 - z) * candidate + z * hs[prev + j]
        }
      }
    }
  }

  func sigmoid(_ v: Float) -> Float { 1 / (1 + expf(-v)) }

  /// `[batch, steps + extra, hidden]` from the time-major states.
  func packed() -> [Float] {
    let (n, t, h) = (batch, steps, hidden)
    let width = t + (cell == .lstm ? 2 : 1)
    var out = [Float](repeating: 0, count: n * width * h)
    for b in 0..<n {
      for s in 0...t {
        let source = ((s == t ? t : s + 1) * n + b) * h
        out[((b * width + s) * h)..<((b * width + s + 1) * h)] = hs[source..<(source + h)]
      }
      if cell == .lstm {
        let source = (t * n + b) * h
        out[((b * width + t + 1) * h)..<((b * width + t + 2) * h)] = cs[source..<(source + h)]
      }
    }
    return out
  }
}

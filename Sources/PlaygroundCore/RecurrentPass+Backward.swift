import Foundation
import PlaygroundKernels

extension RecurrentPass {
  /// Backpropagation through time from the gradient of the packed result.
  func backward(_ gradient: [Float]) {
    let (n, t, h, g) = (batch, steps, hidden, gates)
    let width = t + (cell == .lstm ? 2 : 1)
    // The gradients reaching each step's hidden (and cell) state; at first from outside.
    let dh = FloatBuffer(n * h)
    let dc = FloatBuffer(n * h)
    // Gradients of the input projections (and, for the GRU, of the recurrent ones).
    // Every step writes all of its rows.
    let dGX = FloatBuffer(t * n * g, zeroed: false)
    let dGH = cell == .gru ? FloatBuffer(t * n * g, zeroed: false) : dGX
    gradient.withUnsafeBufferPointer { gradient in
      let packed = gradient.baseAddress!
      for b in 0..<n {
        (dh.base + b * h).update(from: packed + (b * width + t) * h, count: h)
        if cell == .lstm {
          (dc.base + b * h).update(from: packed + (b * width + t + 1) * h, count: h)
        }
      }
      for s in stride(from: t - 1, through: 0, by: -1) {
        for b in 0..<n {
          let outside = packed + (b * width + s) * h
          for j in 0..<h { dh.base[b * h + j] += outside[j] }
        }
        backStep(s, dh: dh.base, dc: dc.base, dGX: dGX.base, dGH: dGH.base)
        // dh ← (GRU: z ⊙ dh, already there) + dG_H[s] · W_hh
        Self.gemm(
          dGH.base + s * n * g, wHH.base, dh.base, m: n, n: h, k: g,
          beta: cell == .gru ? 1 : 0, inStep: true)
      }
    }
    accumulate(dGX: dGX, dGH: dGH, dh0: dh, dc0: dc)
  }

  /// Step `s` backwards (C kernels): the gates' gradients from `dh` (and `dc`); `dc` becomes
  /// the gradient of the previous cell state, and for the GRU `dh` the direct part of the
  /// previous hidden state's (before the recurrent product).
  func backStep(
    _ s: Int, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>,
    dGX: UnsafeMutablePointer<Float>, dGH: UnsafeMutablePointer<Float>
  ) {
    let (n, h, g) = (batch, hidden, gates)
    switch cell {
    case .rnn:
      playground_rnn_backward(hs.base + (s + 1) * n * h, dh, dGX + s * n * g, n, h)
    case .lstm:
      playground_lstm_backward(
        activations.base + s * n * g, cs.base + s * n * h, cs.base + (s + 1) * n * h, dh, dc,
        dGX + s * n * g, n, h)
    case .gru:
      playground_gru_backward(
        activations.base + s * n * g, candidateInputs.base + s * n * h, hs.base + s * n * h, dh,
        dGX + s * n * g, dGH + s * n * g, n, h)
    }
  }

  /// The weights', biases', input's and initial states' gradients from every step's gate
  /// gradients: three matrix products and two column sums.
  func accumulate(dGX: FloatBuffer, dGH: FloatBuffer, dh0: FloatBuffer, dc0: FloatBuffer) {
    let (n, t, i, h, g) = (batch, steps, features, hidden, gates)
    if weightHH.requiresGrad {
      let dW = FloatBuffer(g * h)
      Self.gemm(dGH.base, hs.base, dW.base, m: g, n: h, k: t * n, transposeA: true)
      weightHH.accumulateGradient(dW.array)
    }
    if weightIH.requiresGrad {
      let dW = FloatBuffer(g * i)
      Self.gemm(dGX.base, xT.base, dW.base, m: g, n: i, k: t * n, transposeA: true)
      weightIH.accumulateGradient(dW.array)
    }
    if let biasIH, biasIH.requiresGrad {
      biasIH.accumulateGradient(sumRows(dGX.base, rows: t * n, columns: g))
    }
    if let biasHH, biasHH.requiresGrad {
      biasHH.accumulateGradient(sumRows(dGH.base, rows: t * n, columns: g))
    }
    if x.requiresGrad {
      let dxT = FloatBuffer(t * n * i)
      Self.gemm(dGX.base, wIH.base, dxT.base, m: t * n, n: i, k: g)
      var dx = [Float](repeating: 0, count: t * n * i)
      dx.withUnsafeMutableBufferPointer { dx in
        for b in 0..<n {
          for s in 0..<t {
            (dx.baseAddress! + (b * t + s) * i).update(from: dxT.base + (s * n + b) * i, count: i)
          }
        }
      }
      x.accumulateGradient(dx)
    }
    h0?.accumulateGradient(dh0.array)
    c0?.accumulateGradient(dc0.array)
  }
}

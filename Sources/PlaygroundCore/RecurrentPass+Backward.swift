import Foundation

extension RecurrentPass {
  /// Backpropagation through time from the gradient of the packed result.
  func backward(_ gradient: [Float]) {
    let (n, t, h, g) = (batch, steps, hidden, gates)
    let width = t + (cell == .lstm ? 2 : 1)
    // The gradient reaching the last hidden (and cell) state from outside the sequence.
    var dh = [Float](repeating: 0, count: n * h)
    var dc = [Float](repeating: 0, count: n * h)
    for b in 0..<n {
      dh[(b * h)..<((b + 1) * h)] = gradient[((b * width + t) * h)..<((b * width + t + 1) * h)]
      if cell == .lstm {
        dc[(b * h)..<((b + 1) * h)] =
          gradient[((b * width + t + 1) * h)..<((b * width + t + 2) * h)]
      }
    }
    // Gradients of the input projections (and, for the GRU, of the recurrent ones).
    var dGX = [Float](repeating: 0, count: t * n * g)
    var dGH = cell == .gru ? dGX : []
    for s in stride(from: t - 1, through: 0, by: -1) {
      for b in 0..<n {
        for j in 0..<h { dh[b * h + j] += gradient[(b * width + s) * h + j] }
      }
      backStep(s, dh: &dh, dc: &dc, dGX: &dGX, dGH: &dGH)
      // dh ← (GRU: z ⊙ dh, already in dh) + dG_H[s] · W_hh
      let fromGates = cell == .gru ? dGH : dGX
      fromGates.withUnsafeBufferPointer { d in
        weightHH.scalars.withUnsafeBufferPointer { w in
          dh.withUnsafeMutableBufferPointer { out in
            Self.gemm(
              d.baseAddress! + s * n * g, w.baseAddress!, out.baseAddress!, m: n, n: h, k: g,
              beta: cell == .gru ? 1 : 0)
          }
        }
      }
    }
    accumulate(dGX: dGX, dGH: cell == .gru ? dGH : dGX, dh0: dh, dc0: dc)
  }

  /// Step `s` backwards: the gates' gradients from `dh` (and `dc`), which become the gradients
  /// the step passes on (before the recurrent product).
  func backStep(
    _ s: Int, dh: inout [Float], dc: inout [Float], dGX: inout [Float], dGH: inout [Float]
  ) {
    let (n, h, g) = (batch, hidden, gates)
    for b in 0..<n {
      let row = (s * n + b) * g
      let prev = (s * n + b) * h
      let next = ((s + 1) * n + b) * h
      for j in 0..<h {
        let d = dh[b * h + j]
        switch cell {
        case .rnn:
          let y = activations[row + j]
          dGX[row + j] = d * (1 - y * y)
        case .lstm:
          let (gi, gf) = (activations[row + j], activations[row + h + j])
          let (gg, go) = (activations[row + 2 * h + j], activations[row + 3 * h + j])
          let tc = tanhf(cs[next + j])
          let dcTotal = dc[b * h + j] + d * go * (1 - tc * tc)
          dGX[row + j] = dcTotal * gg * gi * (1 - gi)
          dGX[row + h + j] = dcTotal * cs[prev + j] * gf * (1 - gf)
          dGX[row + 2 * h + j] = dcTotal * gi * (1 - gg * gg)
          dGX[row + 3 * h + j] = d * tc * go * (1 - go)
          dc[b * h + j] = dcTotal * gf
        case .gru:
          let (r, z) = (activations[row + j], activations[row + h + j])
          let candidate = activations[row + 2 * h + j]
          let dCandidate = d * (1 - z) * (1 - candidate * candidate)
          let dr = dCandidate * candidateInputs[prev + j] * r * (1 - r)
          let dz = d * (hs[prev + j] - candidate) * z * (1 - z)
          (dGX[row + j], dGX[row + h + j], dGX[row + 2 * h + j]) = (dr, dz, dCandidate)
          (dGH[row + j], dGH[row + h + j], dGH[row + 2 * h + j]) = (dr, dz, dCandidate * r)
          dh[b * h + j] = d * z
        }
      }
    }
  }

  /// The weights', biases', input's and initial states' gradients from every step's gate
  /// gradients: three matrix products and two column sums.
  func accumulate(dGX: [Float], dGH: [Float], dh0: [Float], dc0: [Float]) {
    let (n, t, i, h, g) = (batch, steps, features, hidden, gates)
    if weightHH.requiresGrad {
      var dW = [Float](repeating: 0, count: g * h)
      product(dGH, hs, into: &dW, m: g, n: h, k: t * n, transposeA: true)
      weightHH.accumulateGradient(dW)
    }
    if weightIH.requiresGrad {
      var dW = [Float](repeating: 0, count: g * i)
      product(dGX, xT, into: &dW, m: g, n: i, k: t * n, transposeA: true)
      weightIH.accumulateGradient(dW)
    }
    if let biasIH, biasIH.requiresGrad {
      biasIH.accumulateGradient(sumRows(dGX, rows: t * n, columns: g))
    }
    if let biasHH, biasHH.requiresGrad {
      biasHH.accumulateGradient(sumRows(dGH, rows: t * n, columns: g))
    }
    if x.requiresGrad {
      var dxT = [Float](repeating: 0, count: t * n * i)
      product(dGX, weightIH.scalars, into: &dxT, m: t * n, n: i, k: g)
      var dx = [Float](repeating: 0, count: t * n * i)
      for b in 0..<n {
        for s in 0..<t {
          dx[((b * t + s) * i)..<((b * t + s + 1) * i)] =
            dxT[((s * n + b) * i)..<((s * n + b + 1) * i)]
        }
      }
      x.accumulateGradient(dx)
    }
    h0?.accumulateGradient(dh0)
    c0?.accumulateGradient(dc0)
  }

  func product(
    _ a: [Float], _ b: [Float], into c: inout [Float], m: Int, n: Int, k: Int,
    transposeA: Bool = false
  ) {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          Self.gemm(
            ap.baseAddress!, bp.baseAddress!, cp.baseAddress!, m: m, n: n, k: k,
            transposeA: transposeA)
        }
      }
    }
  }
}

import PlaygroundKernels

extension Tensor {
  /// Group normalization (Wu & He, 2018; PyTorch's `group_norm`) of an `[N, C, H, W]` batch: each
  /// sample's channels are split into `groups` groups of `C / groups` channels, each group
  /// normalized over its channels and pixels (biased variance, `epsilon` added), then scaled by
  /// `weight` (γ) and shifted by `bias` (β) per channel. Unlike batch norm, every sample is
  /// normalized on its own: training and evaluation agree, and per-example gradients exist.
  ///
  /// One fused operation with its derivative, in C (`GroupNorm.c`); the batch is split across
  /// threads by sample, with the same bits for any thread count.
  /// - Parameters:
  ///   - weight, bias: `[C]`.
  ///   - epsilon: PyTorch's 1e-5 by default.
  ///   - thenSiLU: SiLU applied in the same pass (`silu()` of the result, with its bits), and
  ///     its derivative in the same backward pass: a U-Net's `GroupNorm → SiLU` without the
  ///     normalized batch in between (two fewer passes over memory each way).
  /// - Precondition: `groups` divides `C`.
  public func groupNormalized(
    groups: Int, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5, thenSiLU: Bool = false
  ) -> Tensor {
    precondition(rank == 4, "group norm needs [N, C, H, W], got \(shape)")
    let (batch, channels, plane) = (shape[0], shape[1], shape[2] * shape[3])
    precondition(
      groups >= 1 && channels % groups == 0,
      "group norm: \(groups) groups do not divide \(channels) channels")
    precondition(
      weight.shape == [channels] && bias.shape == [channels],
      "group norm weight and bias must be [\(channels)], got \(weight.shape) and \(bias.shape)")
    let perSample = channels * plane
    var mean = [Float](repeating: 0, count: batch * groups)
    var inverseStd = [Float](repeating: 0, count: batch * groups)
    let output = [Float](unsafeUninitializedCapacity: count) { y, initialized in
      guard batch > 0 else { return }
      mean.withUnsafeMutableBufferPointer { m in
        inverseStd.withUnsafeMutableBufferPointer { r in
          let targets = (
            UncheckedPointer(y.baseAddress!), UncheckedPointer(m.baseAddress!),
            UncheckedPointer(r.baseAddress!)
          )
          withAddresses(of: [scalars]) { input in
            Parallel.forEachChunk(batch, work: count) { range in
              let (offset, first) = (range.lowerBound * perSample, range.lowerBound * groups)
              playground_group_norm_forward(
                input[0].pointer + offset, targets.0.pointer + offset, targets.1.pointer + first,
                targets.2.pointer + first, weight.scalars, bias.scalars, range.count, channels,
                groups, plane, epsilon, thenSiLU ? 1 : 0)
            }
          }
        }
      }
      initialized = count
    }
    let x = self
    return .result(shape: shape, scalars: output, inputs: [x, weight, bias]) { g in
      let (dGamma, dBeta, dx) = Tensor.groupNormGradients(
        x, g, mean: mean, inverseStd: inverseStd, gamma: weight.scalars, beta: bias.scalars,
        groups: groups, thenSiLU: thenSiLU)
      if let dx { x.accumulateGradient(dx) }
      weight.accumulateGradient(dGamma)
      bias.accumulateGradient(dBeta)
    }
  }

  /// The gradients of ``groupNormalized(groups:weight:bias:epsilon:thenSiLU:)`` for the output
  /// gradient `g`: γ's and β's (summed over samples in order) and the input's when it needs one.
  private static func groupNormGradients(
    _ x: Tensor, _ g: [Float], mean: [Float], inverseStd: [Float], gamma: [Float],
    beta: [Float], groups: Int, thenSiLU: Bool
  ) -> (dGamma: [Float], dBeta: [Float], dx: [Float]?) {
    let (batch, channels, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    let perSample = channels * plane
    var dGamma = [Float](repeating: 0, count: batch * channels)
    var dBeta = [Float](repeating: 0, count: batch * channels)
    // After SiLU the kernel keeps its inner gradient in dx, needed or not. It writes every
    // element.
    let writesInput = x.requiresGrad || thenSiLU
    var dx = [Float](unsafeUninitializedCapacity: writesInput ? x.count : 0) { _, initialized in
      initialized = writesInput ? x.count : 0
    }
    guard batch > 0 else {
      let zeros = [Float](repeating: 0, count: channels)
      return (zeros, zeros, nil)
    }
    withAddresses(of: [x.scalars, g, mean, inverseStd]) { pointers in
      dGamma.withUnsafeMutableBufferPointer { dg in
        dBeta.withUnsafeMutableBufferPointer { db in
          dx.withUnsafeMutableBufferPointer { d in
            let targets = (
              UncheckedPointer(dg.baseAddress!), UncheckedPointer(db.baseAddress!),
              writesInput ? d.baseAddress.map { UncheckedPointer($0) } : nil
            )
            Parallel.forEachChunk(batch, work: 2 * x.count) { range in
              let (offset, first) = (range.lowerBound * perSample, range.lowerBound * groups)
              playground_group_norm_backward(
                pointers[0].pointer + offset, pointers[1].pointer + offset,
                pointers[2].pointer + first, pointers[3].pointer + first, gamma, beta,
                targets.2.map { $0.pointer + offset },
                targets.0.pointer + range.lowerBound * channels,
                targets.1.pointer + range.lowerBound * channels, range.count, channels, groups,
                plane, thenSiLU ? 1 : 0)
            }
          }
        }
      }
    }
    return (
      sumRows(dGamma, rows: batch, columns: channels),
      sumRows(dBeta, rows: batch, columns: channels), x.requiresGrad ? dx : nil
    )
  }
}

/// Calls `body` with the addresses of the elements of `arrays` (none empty), all valid while
/// it runs, for parallel chunks that only read them.
func withAddresses<Result>(
  of arrays: [[Float]], _ body: ([UncheckedPointer<Float>]) -> Result
) -> Result {
  func nest(_ k: Int, _ addresses: [UncheckedPointer<Float>]) -> Result {
    guard k < arrays.count else { return body(addresses) }
    return arrays[k].withUnsafeBufferPointer {
      nest(k + 1, addresses + [UncheckedPointer(UnsafeMutablePointer(mutating: $0.baseAddress!))])
    }
  }
  return nest(0, [])
}

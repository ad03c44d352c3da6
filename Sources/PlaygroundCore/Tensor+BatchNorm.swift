extension Tensor {
  /// The per-channel statistics of a batch: mean and biased variance over every axis but 1.
  public struct ChannelStatistics {
    public let mean: [Float]
    public let variance: [Float]
    /// How many values each channel's statistics were taken over.
    public let count: Int
  }

  /// Batch normalization (Ioffe & Szegedy, 2015) of `[N, C]` or `[N, C, H, W]`, one fused
  /// operation with its derivative.
  ///
  /// - Parameters:
  ///   - weight, bias: the per-channel scale γ and shift β, `[C]`.
  ///   - statistics: the mean and variance to normalize with; `nil` in training, where the
  ///     batch's own (biased) statistics are used and differentiated through.
  ///   - epsilon: added to the variance, PyTorch's 1e-5 by default.
  /// - Returns: the normalized tensor and the batch statistics that were used (in training).
  public func batchNormalized(
    weight: Tensor, bias: Tensor, statistics: (mean: [Float], variance: [Float])? = nil,
    epsilon: Float = 1e-5
  ) -> (output: Tensor, batchStatistics: ChannelStatistics?) {
    precondition(rank == 2 || rank == 4, "batch norm needs [N, C] or [N, C, H, W], got \(shape)")
    let (batch, channels) = (shape[0], shape[1])
    let plane = rank == 4 ? shape[2] * shape[3] : 1
    precondition(
      weight.shape == [channels] && bias.shape == [channels],
      "batch norm weight and bias must be [\(channels)], got \(weight.shape) and \(bias.shape)")
    let n = batch * plane
    var mean = [Float](repeating: 0, count: channels)
    var variance = [Float](repeating: 0, count: channels)
    let x = self
    let xs = scalars
    if let statistics {
      mean = statistics.mean
      variance = statistics.variance
    } else {
      precondition(
        n > 1, "batch norm in training needs more than one value per channel, got shape \(shape)")
      // Sums in batch-then-pixel order per channel, over raw buffers (vectorizable for [N, C]).
      Tensor.forEachElement(xs, batch: batch, channels: channels, plane: plane, into: &mean) {
        value, _ in value
      }
      for c in 0..<channels { mean[c] /= Float(n) }
      let centre = mean
      Tensor.forEachElement(xs, batch: batch, channels: channels, plane: plane, into: &variance) {
        value, c in
        let d = value - centre[c]
        return d * d
      }
      for c in 0..<channels { variance[c] /= Float(n) }
    }
    let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let (gamma, beta) = (weight.scalars, bias.scalars)
    var normalized = [Float](repeating: 0, count: count)
    var output = [Float](repeating: 0, count: count)
    xs.withUnsafeBufferPointer { x in
      normalized.withUnsafeMutableBufferPointer { xhat in
        output.withUnsafeMutableBufferPointer { y in
          for b in 0..<batch {
            for c in 0..<channels {
              let (m, s, g, bb) = (mean[c], inverseStd[c], gamma[c], beta[c])
              let start = (b * channels + c) * plane
              for k in start..<(start + plane) {
                xhat[k] = (x[k] - m) * s
                y[k] = xhat[k] * g + bb
              }
            }
          }
        }
      }
    }
    let training = statistics == nil
    let result = Tensor.result(shape: shape, scalars: output, inputs: [x, weight, bias]) { g in
      var dGamma = [Float](repeating: 0, count: channels)
      var dBeta = [Float](repeating: 0, count: channels)
      normalized.withUnsafeBufferPointer { xhat in
        g.withUnsafeBufferPointer { g in
          for b in 0..<batch {
            for c in 0..<channels {
              let start = (b * channels + c) * plane
              var (dg, db): (Float, Float) = (0, 0)
              for k in start..<(start + plane) {
                dg += g[k] * xhat[k]
                db += g[k]
              }
              dGamma[c] += dg
              dBeta[c] += db
            }
          }
        }
      }
      if x.requiresGrad {
        var dx = [Float](repeating: 0, count: g.count)
        normalized.withUnsafeBufferPointer { xhat in
          g.withUnsafeBufferPointer { g in
            dx.withUnsafeMutableBufferPointer { dx in
              for b in 0..<batch {
                for c in 0..<channels {
                  let scale = gamma[c] * inverseStd[c]
                  let start = (b * channels + c) * plane
                  if training {
                    // dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂))
                    let (meanG, meanGX) = (dBeta[c] / Float(n), dGamma[c] / Float(n))
                    for k in start..<(start + plane) {
                      dx[k] = scale * (g[k] - meanG - xhat[k] * meanGX)
                    }
                  } else {
                    for k in start..<(start + plane) { dx[k] = scale * g[k] }
                  }
                }
              }
            }
          }
        }
        x.accumulateGradient(dx)
      }
      weight.accumulateGradient(dGamma)
      bias.accumulateGradient(dBeta)
    }
    let used = training ? ChannelStatistics(mean: mean, variance: variance, count: n) : nil
    return (result, used)
  }

  /// Adds `term(value, channel)` of every element to its channel's entry of `sums`, in batch,
  /// then pixel, order.
  static func forEachElement(
    _ values: [Float], batch: Int, channels: Int, plane: Int, into sums: inout [Float],
    _ term: (Float, Int) -> Float
  ) {
    values.withUnsafeBufferPointer { x in
      sums.withUnsafeMutableBufferPointer { sums in
        for b in 0..<batch {
          for c in 0..<channels {
            let start = (b * channels + c) * plane
            var total = sums[c]
            for k in start..<(start + plane) { total += term(x[k], c) }
            sums[c] = total
          }
        }
      }
    }
  }
}

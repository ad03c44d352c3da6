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
    if let statistics {
      mean = statistics.mean
      variance = statistics.variance
    } else {
      precondition(
        n > 1, "batch norm in training needs more than one value per channel, got shape \(shape)")
      forEachChannelRun(batch: batch, channels: channels, plane: plane) { c, range in
        for k in range { mean[c] += x.scalars[k] }
      }
      for c in 0..<channels { mean[c] /= Float(n) }
      forEachChannelRun(batch: batch, channels: channels, plane: plane) { c, range in
        for k in range {
          let d = x.scalars[k] - mean[c]
          variance[c] += d * d
        }
      }
      for c in 0..<channels { variance[c] /= Float(n) }
    }
    let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    var normalized = [Float](repeating: 0, count: count)
    var output = [Float](repeating: 0, count: count)
    forEachChannelRun(batch: batch, channels: channels, plane: plane) { c, range in
      let (m, s, g, b) = (mean[c], inverseStd[c], weight.scalars[c], bias.scalars[c])
      for k in range {
        normalized[k] = (x.scalars[k] - m) * s
        output[k] = normalized[k] * g + b
      }
    }
    let training = statistics == nil
    let result = Tensor.result(shape: shape, scalars: output, inputs: [x, weight, bias]) { g in
      var dGamma = [Float](repeating: 0, count: channels)
      var dBeta = [Float](repeating: 0, count: channels)
      x.forEachChannelRun(batch: batch, channels: channels, plane: plane) { c, range in
        for k in range {
          dGamma[c] += g[k] * normalized[k]
          dBeta[c] += g[k]
        }
      }
      if x.requiresGrad {
        var dx = [Float](repeating: 0, count: g.count)
        x.forEachChannelRun(batch: batch, channels: channels, plane: plane) { c, range in
          let scale = weight.scalars[c] * inverseStd[c]
          for k in range {
            if training {
              // dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂))
              dx[k] = scale * (g[k] - dBeta[c] / Float(n) - normalized[k] * dGamma[c] / Float(n))
            } else {
              dx[k] = scale * g[k]
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

  /// Calls `body(channel, range)` for every contiguous run of one channel's values.
  func forEachChannelRun(
    batch: Int, channels: Int, plane: Int, _ body: (Int, Range<Int>) -> Void
  ) {
    for b in 0..<batch {
      for c in 0..<channels {
        let start = (b * channels + c) * plane
        body(c, start..<(start + plane))
      }
    }
  }
}

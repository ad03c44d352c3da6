import PlaygroundKernels

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
  ///   - slope: when given (≥ 0; 0 is ReLU), a leaky ReLU of this slope follows in the same
  ///     pass, with the bits of `leakyRelu(negativeSlope:)` after it; its gradient is taken from
  ///     the output's signs, which are the normalized values' for a slope ≥ 0.
  /// - Returns: the normalized tensor and the batch statistics that were used (in training).
  ///
  /// Longer than most functions here on purpose: the forward pass and its derivative stay side
  /// by side (the derivative needs the forward's per-channel sums and inverse deviations).
  public func batchNormalized(
    weight: Tensor, bias: Tensor, statistics: (mean: [Float], variance: [Float])? = nil,
    epsilon: Float = 1e-5, thenLeakyReLU slope: Float? = nil
  ) -> (output: Tensor, batchStatistics: ChannelStatistics?) {
    precondition((slope ?? 0) >= 0, "batch norm's fused leaky ReLU needs a slope ≥ 0")
    precondition(rank == 2 || rank == 4, "batch norm needs [N, C] or [N, C, H, W], got \(shape)")
    let (batch, channels) = (shape[0], shape[1])
    let plane = rank == 4 ? shape[2] * shape[3] : 1
    precondition(
      weight.shape == [channels] && bias.shape == [channels],
      "batch norm weight and bias must be [\(channels)], got \(weight.shape) and \(bias.shape)")
    let n = batch * plane
    let total = count
    /// Calls `body(first, last)` with channel ranges that cover every channel, split across
    /// the threads the batch's size pays for (each channel's sums stay in one thread's order).
    func forEachChannelRange(_ body: (Int, Int) -> Void) {
      Parallel.forEachChunk(channels, work: total) { body($0.lowerBound, $0.upperBound) }
    }
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
      // Per channel, each image's plane summed over sixteen lanes, then the images in batch
      // order (C kernels in `PlaygroundKernels`, BatchNorm.c).
      xs.withUnsafeBufferPointer { x in
        mean.withUnsafeMutableBufferPointer { mean in
          forEachChannelRange {
            playground_channel_sums(
              x.baseAddress!, nil, mean.baseAddress!, batch, channels, plane, $0, $1)
          }
          for c in 0..<channels { mean[c] /= Float(n) }
          variance.withUnsafeMutableBufferPointer { variance in
            forEachChannelRange {
              playground_channel_sums(
                x.baseAddress!, mean.baseAddress!, variance.baseAddress!, batch, channels, plane,
                $0, $1)
            }
          }
        }
      }
      for c in 0..<channels { variance[c] /= Float(n) }
    }
    let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let (gamma, beta) = (weight.scalars, bias.scalars)
    var normalized = [Float]()
    let output = [Float](unsafeUninitializedCapacity: total) { y, initialized in
      normalized = [Float](unsafeUninitializedCapacity: total) { xhat, done in
        // (Nothing to do for an empty batch, whose buffers have no address.)
        if total > 0 {
          xs.withUnsafeBufferPointer { x in
            forEachChannelRange {
              playground_batch_norm_forward(
                x.baseAddress!, xhat.baseAddress!, y.baseAddress!, mean, inverseStd, gamma, beta,
                batch, channels, plane, $0, $1, slope == nil ? 0 : 1, slope ?? 0)
            }
          }
        }
        done = total
      }
      initialized = total
    }
    let training = statistics == nil
    let result = Tensor.result(shape: shape, scalars: output, inputs: [x, weight, bias]) { g in
      let g = slope.map { Tensor.leakyReLUGradient(g, at: output, slope: $0) } ?? g
      var dGamma = [Float](repeating: 0, count: channels)
      var dBeta = [Float](repeating: 0, count: channels)
      guard !g.isEmpty else { return }
      normalized.withUnsafeBufferPointer { xhat in
        g.withUnsafeBufferPointer { g in
          dGamma.withUnsafeMutableBufferPointer { dGamma in
            dBeta.withUnsafeMutableBufferPointer { dBeta in
              forEachChannelRange {
                playground_batch_norm_parameter_gradients(
                  g.baseAddress!, xhat.baseAddress!, dGamma.baseAddress!, dBeta.baseAddress!,
                  batch, channels, plane, $0, $1)
              }
            }
          }
        }
      }
      if x.requiresGrad {
        let scale = (0..<channels).map { gamma[$0] * inverseStd[$0] }
        // dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)) in training, γ/σ · g otherwise.
        let meanG = dBeta.map { $0 / Float(n) }
        let meanGX = dGamma.map { $0 / Float(n) }
        let dx = [Float](unsafeUninitializedCapacity: g.count) { dx, initialized in
          normalized.withUnsafeBufferPointer { xhat in
            g.withUnsafeBufferPointer { g in
              meanG.withUnsafeBufferPointer { meanG in
                forEachChannelRange {
                  playground_batch_norm_input_gradient(
                    g.baseAddress!, xhat.baseAddress!, dx.baseAddress!, scale,
                    training ? meanG.baseAddress : nil, meanGX, batch, channels, plane, $0, $1)
                }
              }
            }
          }
          initialized = g.count
        }
        x.accumulateGradient(dx)
      }
      weight.accumulateGradient(dGamma)
      bias.accumulateGradient(dBeta)
    }
    let used = training ? ChannelStatistics(mean: mean, variance: variance, count: n) : nil
    return (result, used)
  }
}

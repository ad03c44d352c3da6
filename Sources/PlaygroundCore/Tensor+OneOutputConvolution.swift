import PlaygroundKernels

extension Tensor {
  /// ``conv2d(weight:bias:stride:padding:)`` for one output channel, stride 1 and a square
  /// kernel (a U-Net's last layer, 32 channels to one image), in C (`Resampling.c`): oneDNN runs
  /// this shape as a GEMM twenty times slower than the rest of its convolutions. The batch is
  /// split across threads by sample (the weight gradient by channel), with the same bits for
  /// any thread count.
  func convolvedToOneChannel(weight: Tensor, bias: Tensor?, padding: Int) -> Tensor {
    let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
    let kernel = weight.shape[2]
    let (outHeight, outWidth) = (
      height + 2 * padding - kernel + 1, width + 2 * padding - kernel + 1
    )
    let (inPlane, outPlane) = (channels * height * width, outHeight * outWidth)
    let output = [Float](unsafeUninitializedCapacity: batch * outPlane) { y, initialized in
      let out = UncheckedPointer(y.baseAddress!)
      withAddresses(of: [scalars, weight.scalars]) { input in
        Parallel.forEachChunk(batch, work: count * kernel * kernel) { range in
          playground_conv_one_output(
            input[0].pointer + range.lowerBound * inPlane, input[1].pointer,
            bias?.scalars[0] ?? 0, out.pointer + range.lowerBound * outPlane, range.count,
            channels, height, width, kernel, padding)
        }
      }
      initialized = batch * outPlane
    }
    let x = self
    return .result(
      shape: [batch, 1, outHeight, outWidth], scalars: output,
      inputs: [x, weight] + (bias.map { [$0] } ?? [])
    ) { g in
      if let bias, bias.requiresGrad { bias.accumulateGradient([g.reduce(0, +)]) }
      if weight.requiresGrad {
        weight.accumulateGradient(
          Tensor.oneOutputWeightGradient(g, x, kernel: kernel, padding: padding))
      }
      if x.requiresGrad {
        let dx = [Float](unsafeUninitializedCapacity: x.count) { dx, initialized in
          let target = UncheckedPointer(dx.baseAddress!)
          withAddresses(of: [g, weight.scalars]) { input in
            Parallel.forEachChunk(batch, work: x.count * kernel * kernel) { range in
              playground_conv_one_output_backward_data(
                input[0].pointer + range.lowerBound * outPlane, input[1].pointer,
                target.pointer + range.lowerBound * inPlane, range.count, channels, height,
                width, kernel, padding)
            }
          }
          initialized = x.count
        }
        x.accumulateGradient(dx)
      }
    }
  }

  /// The weight gradient of ``convolvedToOneChannel(weight:bias:padding:)``, split by channel.
  private static func oneOutputWeightGradient(
    _ g: [Float], _ x: Tensor, kernel: Int, padding: Int
  ) -> [Float] {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let outWidth = width + 2 * padding - kernel + 1
    return [Float](unsafeUninitializedCapacity: channels * kernel * kernel) { dw, initialized in
      let target = UncheckedPointer(dw.baseAddress!)
      withAddresses(of: [g, x.scalars]) { input in
        Parallel.forEachChunk(channels, work: x.count * kernel * kernel) { range in
          var columns = [Float](repeating: 0, count: outWidth)
          playground_conv_one_output_backward_weights(
            input[0].pointer, input[1].pointer, target.pointer, &columns, batch, channels,
            range.lowerBound, range.count, height, width, kernel, padding)
        }
      }
      initialized = channels * kernel * kernel
    }
  }
}

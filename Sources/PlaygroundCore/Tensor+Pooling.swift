import PlaygroundKernels

extension Tensor {
  /// 2-D max pooling over an NCHW batch (PyTorch's `max_pool2d`, no padding); the gradient goes
  /// to the first maximal pixel of each window (in row-major order within the window).
  /// - Parameters:
  ///   - size: window height and width, in pixels.
  ///   - stride: step between windows; defaults to `size`.
  public func maxPool2d(size: Int, stride: Int? = nil) -> Tensor {
    let stride = stride ?? size
    precondition(rank == 4, "maxPool2d needs input [N, C, H, W], got \(shape)")
    precondition(size >= 1 && stride >= 1, "maxPool2d needs size ≥ 1 and stride ≥ 1")
    let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
    precondition(height >= size && width >= size, "maxPool2d window \(size) exceeds input \(shape)")
    let outHeight = (height - size) / stride + 1
    let outWidth = (width - size) / stride + 1
    let outputCount = planes * outHeight * outWidth
    // The winner of each window, as an offset into its plane (planes are < 2³¹ pixels).
    var winners = [Int32](repeating: 0, count: outputCount)
    let output = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
      let out = UncheckedPointer(output.baseAddress!)
      winners.withUnsafeMutableBufferPointer { winners in
        let won = UncheckedPointer(winners.baseAddress!)
        scalars.withUnsafeBufferPointer { x in
          let input = x.baseAddress!
          Parallel.forEachChunk(planes, work: count) { range in
            for p in range {
              playground_max_pool_plane(
                input + p * height * width, out.pointer + p * outHeight * outWidth,
                won.pointer + p * outHeight * outWidth, height, width, size, stride)
            }
          }
        }
      }
      initialized = outputCount
    }
    let input = self
    let (planeSize, outPlane) = (height * width, outHeight * outWidth)
    return .result(
      shape: [shape[0], shape[1], outHeight, outWidth], scalars: output, inputs: [input]
    ) { g in
      var dx = [Float](repeating: 0, count: input.count)
      dx.withUnsafeMutableBufferPointer { dx in
        winners.withUnsafeBufferPointer { winners in
          g.withUnsafeBufferPointer { g in
            playground_max_pool_backward(
              dx.baseAddress!, winners.baseAddress!, g.baseAddress!, planes, planeSize, outPlane)
          }
        }
      }
      input.accumulateGradient(dx)
    }
  }
}

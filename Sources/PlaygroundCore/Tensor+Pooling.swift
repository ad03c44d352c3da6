extension Tensor {
  /// 2-D max pooling over an NCHW batch (PyTorch's `max_pool2d`, no padding); the gradient goes
  /// to the first maximal pixel of each window.
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
    var output = [Float](repeating: 0, count: planes * outHeight * outWidth)
    var winners = [Int](repeating: 0, count: output.count)
    scalars.withUnsafeBufferPointer { x in
      for p in 0..<planes {
        for y in 0..<outHeight {
          for x0 in 0..<outWidth {
            var best = p * height * width + y * stride * width + x0 * stride
            for i in 0..<size {
              for j in 0..<size {
                let k = p * height * width + (y * stride + i) * width + x0 * stride + j
                if x[k] > x[best] { best = k }
              }
            }
            let o = (p * outHeight + y) * outWidth + x0
            output[o] = x[best]
            winners[o] = best
          }
        }
      }
    }
    let input = self
    return .result(
      shape: [shape[0], shape[1], outHeight, outWidth], scalars: output, inputs: [input]
    ) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for (o, w) in winners.enumerated() { dx[w] += g[o] }
      input.accumulateGradient(dx)
    }
  }
}

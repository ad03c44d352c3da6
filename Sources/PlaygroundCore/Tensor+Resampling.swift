import PlaygroundKernels

extension Tensor {
  /// 2×2 average pooling with stride 2 over an NCHW batch with even height and width (PyTorch's
  /// `avg_pool2d(x, 2)`): the U-Net's way down.
  public func averagePooled2x2() -> Tensor {
    precondition(
      rank == 4 && shape[2] % 2 == 0 && shape[3] % 2 == 0,
      "averagePooled2x2 needs [N, C, H, W] with even H and W, got \(shape)")
    let (height, width) = (shape[2], shape[3])
    return planeMap(
      to: [shape[0], shape[1], height / 2, width / 2],
      forward: { playground_average_pool2($0, $1, $2, height, width) },
      backward: { playground_average_pool2_backward($0, $1, $2, height, width) })
  }

  /// Each pixel repeated into a 2×2 block (PyTorch's `interpolate(x, scale_factor=2)`, mode
  /// "nearest"): the U-Net's way up.
  public func upsampledNearest2x() -> Tensor {
    precondition(rank == 4, "upsampledNearest2x needs [N, C, H, W], got \(shape)")
    let (height, width) = (shape[2], shape[3])
    return planeMap(
      to: [shape[0], shape[1], 2 * height, 2 * width],
      forward: { playground_upsample2($0, $1, $2, height, width) },
      backward: { playground_upsample2_backward($0, $1, $2, height, width) })
  }

  /// `x[n, c, :, :] + v[n, c]`: an `[N, C]` tensor added to every pixel of its sample's channel
  /// (PyTorch's `x + v[:, :, None, None]`), e.g. a time embedding projected to a block's width.
  public func addingPerChannel(_ v: Tensor) -> Tensor {
    precondition(
      rank == 4 && v.shape == [shape[0], shape[1]],
      "addingPerChannel needs x [N, C, H, W] and v [N, C], got \(shape) and \(v.shape)")
    let (planes, plane) = (shape[0] * shape[1], shape[2] * shape[3])
    let output = [Float](unsafeUninitializedCapacity: count) { y, initialized in
      guard count > 0 else { return }
      withAddresses(of: [scalars, v.scalars]) { inputs in
        Parallel.forEachChunk(planes, work: count) {
          let start = $0.lowerBound * plane
          playground_add_plane_constants(
            inputs[0].pointer + start, inputs[1].pointer + $0.lowerBound, y.baseAddress! + start,
            $0.count, plane)
        }
      }
      initialized = count
    }
    let x = self
    return .result(shape: shape, scalars: output, inputs: [x, v]) { g in
      x.accumulateGradient(g)
      if v.requiresGrad {
        var sums = [Float](repeating: 0, count: planes)
        if !g.isEmpty {
          sums.withUnsafeMutableBufferPointer { sums in
            withAddresses(of: [g]) { g in
              Parallel.forEachChunk(planes, work: planes * plane) {
                playground_plane_sums(
                  g[0].pointer + $0.lowerBound * plane, sums.baseAddress! + $0.lowerBound,
                  $0.count, plane)
              }
            }
          }
        }
        v.accumulateGradient(sums)
      }
    }
  }

  /// An operation from one `[N, C, H, W]` array to another of `outputShape`, plane by plane
  /// (`forward(x, y, planes)` on consecutive planes, split across threads), whose gradient is the
  /// adjoint `backward(g, dx, planes)`.
  private func planeMap(
    to outputShape: [Int],
    forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
    backward: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) -> Tensor {
    let outputCount = outputShape.reduce(1, *)
    let planes = shape[0] * shape[1]
    let (inPlane, outPlane) = (shape[2] * shape[3], outputShape[2] * outputShape[3])
    let output = [Float](unsafeUninitializedCapacity: outputCount) { y, initialized in
      guard outputCount > 0 else { return }
      scalars.withUnsafeBufferPointer { x in
        Parallel.forEachChunk(planes, work: count + outputCount) {
          forward(
            x.baseAddress! + $0.lowerBound * inPlane, y.baseAddress! + $0.lowerBound * outPlane,
            $0.count)
        }
      }
      initialized = outputCount
    }
    let x = self
    return .result(shape: outputShape, scalars: output, inputs: [x]) { g in
      let dx = [Float](unsafeUninitializedCapacity: x.count) { dx, initialized in
        guard outputCount > 0 else { return }  // an empty batch: the input is empty too
        g.withUnsafeBufferPointer { g in
          Parallel.forEachChunk(planes, work: x.count + outputCount) {
            backward(
              g.baseAddress! + $0.lowerBound * outPlane, dx.baseAddress! + $0.lowerBound * inPlane,
              $0.count)
          }
        }
        initialized = x.count
      }
      x.accumulateGradient(dx)
    }
  }
}

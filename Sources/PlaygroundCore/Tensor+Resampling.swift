import PlaygroundKernels

extension Tensor {
  /// 2×2 average pooling with stride 2 over an NCHW batch with even height and width (PyTorch's
  /// `avg_pool2d(x, 2)`): the U-Net's way down.
  public func averagePooled2x2() -> Tensor {
    precondition(
      rank == 4 && shape[2] % 2 == 0 && shape[3] % 2 == 0,
      "averagePooled2x2 needs [N, C, H, W] with even H and W, got \(shape)")
    let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
    return planeMap(
      to: [shape[0], shape[1], height / 2, width / 2],
      forward: { playground_average_pool2($0, $1, planes, height, width) },
      backward: { playground_average_pool2_backward($0, $1, planes, height, width) })
  }

  /// Each pixel repeated into a 2×2 block (PyTorch's `interpolate(x, scale_factor=2)`, mode
  /// "nearest"): the U-Net's way up.
  public func upsampledNearest2x() -> Tensor {
    precondition(rank == 4, "upsampledNearest2x needs [N, C, H, W], got \(shape)")
    let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
    return planeMap(
      to: [shape[0], shape[1], 2 * height, 2 * width],
      forward: { playground_upsample2($0, $1, planes, height, width) },
      backward: { playground_upsample2_backward($0, $1, planes, height, width) })
  }

  /// `x[n, c, :, :] + v[n, c]`: an `[N, C]` tensor added to every pixel of its sample's channel
  /// (PyTorch's `x + v[:, :, None, None]`), e.g. a time embedding projected to a block's width.
  public func addingPerChannel(_ v: Tensor) -> Tensor {
    precondition(
      rank == 4 && v.shape == [shape[0], shape[1]],
      "addingPerChannel needs x [N, C, H, W] and v [N, C], got \(shape) and \(v.shape)")
    let (planes, plane) = (shape[0] * shape[1], shape[2] * shape[3])
    var output = scalars
    if count > 0 {
      output.withUnsafeMutableBufferPointer {
        playground_add_plane_constants($0.baseAddress!, v.scalars, planes, plane)
      }
    }
    let x = self
    return .result(shape: shape, scalars: output, inputs: [x, v]) { g in
      x.accumulateGradient(g)
      if v.requiresGrad {
        var sums = [Float](repeating: 0, count: planes)
        if plane > 0 { playground_plane_sums(g, &sums, planes, plane) }
        v.accumulateGradient(sums)
      }
    }
  }

  /// An operation from one array to another of `outputShape` whose gradient is the adjoint
  /// `backward(g, dx)` (both C kernels over whole arrays).
  private func planeMap(
    to outputShape: [Int],
    forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
    backward: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) -> Tensor {
    let outputCount = outputShape.reduce(1, *)
    let output = [Float](unsafeUninitializedCapacity: outputCount) { y, initialized in
      if outputCount > 0 {
        scalars.withUnsafeBufferPointer { forward($0.baseAddress!, y.baseAddress!) }
      }
      initialized = outputCount
    }
    let x = self
    return .result(shape: outputShape, scalars: output, inputs: [x]) { g in
      let dx = [Float](unsafeUninitializedCapacity: x.count) { dx, initialized in
        if outputCount > 0 {
          g.withUnsafeBufferPointer { backward($0.baseAddress!, dx.baseAddress!) }
        }
        initialized = x.count
      }
      x.accumulateGradient(dx)
    }
  }
}

import PlaygroundKernels

extension Tensor {
  /// The identity, which hands the gradient that reaches it during ``backward()`` to `observe`
  /// before passing it on. The result records even when nothing below it needs a gradient, so
  /// that a layer can see its output's gradient without its parameters being tracked: how
  /// per-example gradients (DP-SGD) get each example's gradient with respect to a layer's output.
  /// Outside a recorded pass it returns `self`.
  public func observingGradient(_ observe: @escaping ([Float]) -> Void) -> Tensor {
    guard GradientTape.isRecording else { return self }
    let output = Tensor(shape: shape, scalars: scalars)
    output.requiresGrad = true
    let input = self
    if input.requiresGrad { output.inputs = [input] }
    output.pullback = { gradient in
      observe(gradient)
      input.accumulateGradient(gradient)
    }
    return output
  }

  /// Each example's gradient of a ``conv2d(weight:bias:stride:padding:)`` weight: for example
  /// n, `outputGradient[n] · patches(input[n])` (its im2col, transposed), which summed over n
  /// is the batch's gradient. Formed image by image in C, the images split across threads.
  /// - Parameters:
  ///   - input: the convolution's input, `[N, C, H, W]`.
  ///   - outputGradient: the gradient with respect to its output, `[N, O, outH, outW]` in
  ///     row-major order.
  ///   - kernel: `[O, C, kh, kw]`, the weight's shape.
  /// - Returns: `[N, O·C·kh·kw]`: example n's gradient in the weight's layout.
  public static func conv2dWeightGradientPerExample(
    input: Tensor, outputGradient: [Float], kernel: [Int], stride: Int, padding: Int
  ) -> [Float] {
    precondition(
      input.rank == 4 && kernel.count == 4 && kernel[1] == input.shape[1],
      "per-example conv2d gradients need input [N, C, H, W] and kernel [O, C, kh, kw], got \(input.shape) and \(kernel)"
    )
    let geometry = ConvolutionGeometry(
      batch: input.shape[0], channels: input.shape[1], height: input.shape[2],
      width: input.shape[3], kernelHeight: kernel[2], kernelWidth: kernel[3], stride: stride,
      padding: padding)
    let (batch, outChannels, patch) = (input.shape[0], kernel[0], geometry.patchSize)
    let positions = geometry.outHeight * geometry.outWidth
    precondition(
      outputGradient.count == batch * outChannels * positions,
      "per-example conv2d gradients need an output gradient of \(batch * outChannels * positions) values, got \(outputGradient.count)"
    )
    let (channels, height, width) = (input.shape[1], input.shape[2], input.shape[3])
    let imageSize = channels * height * width
    // Each image on its own: its patches (a few dozen KiB, kept in cache) and its product, on
    // as many threads as the work pays for; every image's arithmetic is the same on any thread.
    return [Float](unsafeUninitializedCapacity: batch * outChannels * patch) { result, written in
      let target = UncheckedPointer(result.baseAddress!)
      input.scalars.withUnsafeBufferPointer { images in
        outputGradient.withUnsafeBufferPointer { gradient in
          Parallel.forEachChunk(batch, work: batch * outChannels * patch * positions) { range in
            var patches = [Float](repeating: 0, count: positions * patch)
            patches.withUnsafeMutableBufferPointer { patches in
              for n in range {
                playground_image_patches(
                  patches.baseAddress!, images.baseAddress! + n * imageSize, channels, height,
                  width, kernel[2], kernel[3], stride, padding, geometry.outHeight,
                  geometry.outWidth)
                playground_patch_gradient(
                  target.pointer + n * outChannels * patch,
                  gradient.baseAddress! + n * outChannels * positions, patches.baseAddress!,
                  outChannels, positions, patch)
              }
            }
          }
        }
      }
      written = batch * outChannels * patch
    }
  }
}

extension Tensor {
  /// Replaces this leaf's accumulated gradient with `values`: for gradients computed outside
  /// the recorded pass (DP-SGD's noisy sum of clipped per-example gradients), which an optimizer
  /// then applies as it applies any other.
  /// - Precondition: the tensor requires a gradient and `values` has one per element.
  public func assignGradient(_ values: [Float]) {
    precondition(requiresGrad, "assignGradient needs a tensor that requires a gradient")
    precondition(
      values.count == count, "assignGradient needs \(count) values, got \(values.count)")
    gradient = values
  }
}

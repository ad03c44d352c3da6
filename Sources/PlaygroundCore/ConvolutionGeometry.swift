import PlaygroundKernels

/// The sizes of a 2-D convolution over NCHW images, and the im2col / col2im rearrangements that
/// turn it into one matrix product.
///
/// The column matrix is `[channels·kernelHeight·kernelWidth, batch·outHeight·outWidth]`: row
/// `(c, i, j)` holds, for every output position `(n, y, x)`, the input pixel
/// `(n, c, y·stride − padding + i, x·stride − padding + j)`, or 0 in the padding.
struct ConvolutionGeometry {
  let batch: Int
  let channels: Int
  let height: Int
  let width: Int
  let kernelHeight: Int
  let kernelWidth: Int
  let stride: Int
  let padding: Int

  var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
  var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
  /// Rows of the column matrix.
  var patchSize: Int { channels * kernelHeight * kernelWidth }
  /// Columns of the column matrix.
  var positions: Int { batch * outHeight * outWidth }

  /// The output positions `lo..<hi` along one axis whose input coordinate
  /// `position · stride − padding + offset` falls inside `0..<size`.
  func validRange(offset: Int, size: Int, outputs: Int) -> Range<Int> {
    // The smallest position with coordinate ≥ 0, and one past the largest with coordinate < size.
    let shift = padding - offset
    let lo = shift <= 0 ? 0 : (shift + stride - 1) / stride
    let last = size - 1 + shift
    let hi = last < 0 ? 0 : last / stride + 1
    let clampedLo = min(max(lo, 0), outputs)
    return clampedLo..<max(clampedLo, min(hi, outputs))
  }

  /// The column matrix of an NCHW image batch of this geometry. Rows are filled in parallel.
  func im2col(_ image: [Float]) -> [Float] {
    let (oh, ow, plane) = (outHeight, outWidth, outHeight * outWidth)
    let kernelArea = kernelHeight * kernelWidth
    return [Float](unsafeUninitializedCapacity: patchSize * positions) { cols, initialized in
      let cols = UncheckedPointer(cols.baseAddress!)
      image.withUnsafeBufferPointer { image in
        let x = image.baseAddress!
        Parallel.forEachChunk(patchSize, work: patchSize * positions) { rowRange in
          for r in rowRange {
            let (c, i, j) = (r / kernelArea, r % kernelArea / kernelWidth, r % kernelWidth)
            let rows = validRange(offset: i, size: height, outputs: oh)
            let columns = validRange(offset: j, size: width, outputs: ow)
            let row = cols.pointer + r * positions
            for n in 0..<batch {
              playground_im2col_plane(
                row + n * plane, x + (n * channels + c) * height * width, width, oh, ow, stride,
                padding, i, j, rows.lowerBound, rows.upperBound, columns.lowerBound,
                columns.upperBound)
            }
          }
        }
      }
      initialized = patchSize * positions
    }
  }

  /// The adjoint of ``im2col(_:)``: adds every column entry back onto the pixel it came from.
  /// Channels are filled in parallel (the kernel offsets of one channel add onto the same pixels).
  func col2im(_ cols: [Float]) -> [Float] {
    var image = [Float](repeating: 0, count: batch * channels * height * width)
    let (oh, ow, plane) = (outHeight, outWidth, outHeight * outWidth)
    cols.withUnsafeBufferPointer { cols in
      image.withUnsafeMutableBufferPointer { image in
        let (cols, image) = (cols.baseAddress!, UncheckedPointer(image.baseAddress!))
        Parallel.forEachChunk(channels, work: patchSize * positions) { channelRange in
          let x = image.pointer
          for c in channelRange {
            for i in 0..<kernelHeight {
              let rows = validRange(offset: i, size: height, outputs: oh)
              for j in 0..<kernelWidth {
                let columns = validRange(offset: j, size: width, outputs: ow)
                let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * positions
                for n in 0..<batch {
                  let target = x + (n * channels + c) * height * width
                  let source = row + n * plane
                  for y in rows {
                    let line = target + (y * stride - padding + i) * width - padding + j
                    let input = source + y * ow
                    for x0 in columns { line[x0 * stride] += input[x0] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return image
  }
}

/// Moves axis 1 of a `[a, b, rest]` array to the front: `[b, a, rest]` (NCHW ↔ CNHW).
func swapLeadingAxes(_ x: [Float], _ a: Int, _ b: Int, rest: Int) -> [Float] {
  [Float](unsafeUninitializedCapacity: x.count) { y, initialized in
    x.withUnsafeBufferPointer { x in
      guard let source = x.baseAddress, let target = y.baseAddress else { return }
      for i in 0..<a {
        for j in 0..<b {
          (target + (j * a + i) * rest).update(from: source + (i * b + j) * rest, count: rest)
        }
      }
    }
    initialized = x.count
  }
}

/// A pointer handed to parallel chunks that write disjoint parts of its buffer.
public struct UncheckedPointer<Element>: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<Element>
  public init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}

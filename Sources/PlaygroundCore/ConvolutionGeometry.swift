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

  /// The column matrix of an NCHW image batch of this geometry.
  func im2col(_ image: [Float]) -> [Float] {
    var cols = [Float](repeating: 0, count: patchSize * positions)
    let (oh, ow, plane) = (outHeight, outWidth, outHeight * outWidth)
    image.withUnsafeBufferPointer { x in
      cols.withUnsafeMutableBufferPointer { cols in
        for c in 0..<channels {
          for i in 0..<kernelHeight {
            for j in 0..<kernelWidth {
              let row = ((c * kernelHeight + i) * kernelWidth + j) * positions
              for n in 0..<batch {
                let source = (n * channels + c) * height * width
                for y in 0..<oh {
                  let sy = y * stride - padding + i
                  guard sy >= 0 && sy < height else { continue }
                  let target = row + n * plane + y * ow
                  for x0 in 0..<ow {
                    let sx = x0 * stride - padding + j
                    if sx >= 0 && sx < width { cols[target + x0] = x[source + sy * width + sx] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return cols
  }

  /// The adjoint of ``im2col(_:)``: adds every column entry back onto the pixel it came from.
  func col2im(_ cols: [Float]) -> [Float] {
    var image = [Float](repeating: 0, count: batch * channels * height * width)
    let (oh, ow, plane) = (outHeight, outWidth, outHeight * outWidth)
    cols.withUnsafeBufferPointer { cols in
      image.withUnsafeMutableBufferPointer { x in
        for c in 0..<channels {
          for i in 0..<kernelHeight {
            for j in 0..<kernelWidth {
              let row = ((c * kernelHeight + i) * kernelWidth + j) * positions
              for n in 0..<batch {
                let target = (n * channels + c) * height * width
                for y in 0..<oh {
                  let sy = y * stride - padding + i
                  guard sy >= 0 && sy < height else { continue }
                  let source = row + n * plane + y * ow
                  for x0 in 0..<ow {
                    let sx = x0 * stride - padding + j
                    if sx >= 0 && sx < width { x[target + sy * width + sx] += cols[source + x0] }
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
  var y = [Float](repeating: 0, count: x.count)
  x.withUnsafeBufferPointer { x in
    y.withUnsafeMutableBufferPointer { y in
      for i in 0..<a {
        for j in 0..<b {
          let from = (i * b + j) * rest
          let to = (j * a + i) * rest
          for k in 0..<rest { y[to + k] = x[from + k] }
        }
      }
    }
  }
  return y
}

import CDNNL

extension OneDNN {
  /// The gradients a convolution's backward pass computes; `nil` where not asked for.
  struct ConvolutionGradients {
    var input: [Float]?
    var weight: [Float]?
    var bias: [Float]?
  }

  /// A convolution's (or transposed convolution's) output on NCHW arrays, or `nil` when oneDNN
  /// has no implementation for the shape.
  func convolutionForward(
    _ key: ConvolutionKey, input: [Float], weight: [Float], bias: [Float]?, threads: Int
  ) -> [Float]? {
    exclusively(threads: threads) {
      guard let primitives = primitives(for: key) else { return nil }
      let count = key.output.reduce(1, *)
      return [Float](unsafeUninitializedCapacity: count) { output, initialized in
        withPointers(input, weight, bias ?? []) { input, weight, bias in
          var arguments: [Int32: UnsafeMutableRawPointer] = [
            Int32(DNNL_ARG_SRC): input, Int32(DNNL_ARG_WEIGHTS): weight,
            Int32(DNNL_ARG_DST): UnsafeMutableRawPointer(output.baseAddress!),
          ]
          if key.hasBias { arguments[Int32(DNNL_ARG_BIAS)] = bias }
          primitives.run(primitives.forward, arguments, library: self)
        }
        initialized = count
      }
    }
  }

  /// The gradients of a convolution's input, weight and bias from its output's gradient.
  /// - Precondition: ``convolutionForward(_:input:weight:bias:threads:)`` succeeded for `key`.
  func convolutionBackward(
    _ key: ConvolutionKey, input: [Float], weight: [Float], outputGradient: [Float],
    needs: (input: Bool, weight: Bool), threads: Int
  ) -> ConvolutionGradients {
    exclusively(threads: threads) {
      let primitives = primitives(for: key)!
      var gradients = ConvolutionGradients()
      withPointers(input, weight, outputGradient) { input, weight, outputGradient in
        if needs.input {
          gradients.input = filled(key.input.reduce(1, *)) { inputGradient in
            primitives.run(
              primitives.backwardData,
              [
                Int32(DNNL_ARG_DIFF_SRC): inputGradient, Int32(DNNL_ARG_WEIGHTS): weight,
                Int32(DNNL_ARG_DIFF_DST): outputGradient,
              ], library: self)
          }
        }
        if needs.weight || key.hasBias {
          var biasGradient = [Float](repeating: 0, count: key.hasBias ? key.output[1] : 0)
          let weightGradient = filled(key.weightCount) { weightGradient in
            biasGradient.withUnsafeMutableBytes { biasGradient in
              var arguments: [Int32: UnsafeMutableRawPointer] = [
                Int32(DNNL_ARG_SRC): input, Int32(DNNL_ARG_DIFF_DST): outputGradient,
                Int32(DNNL_ARG_DIFF_WEIGHTS): weightGradient,
              ]
              if key.hasBias { arguments[Int32(DNNL_ARG_DIFF_BIAS)] = biasGradient.baseAddress! }
              primitives.run(primitives.backwardWeights, arguments, library: self)
            }
          }
          if needs.weight { gradients.weight = weightGradient }
          if key.hasBias { gradients.bias = biasGradient }
        }
      }
      return gradients
    }
  }
}

extension ConvolutionKey {
  /// Elements of the weight.
  var weightCount: Int { output[1] * input[1] * kernel[0] * kernel[1] }
}

/// A new array of `count` floats written by `body`.
private func filled(_ count: Int, _ body: (UnsafeMutableRawPointer) -> Void) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    body(UnsafeMutableRawPointer(buffer.baseAddress!))
    initialized = count
  }
}

/// Raw pointers to three arrays oneDNN reads but does not write (its C API takes them as
/// mutable).
private func withPointers<R>(
  _ a: [Float], _ b: [Float], _ c: [Float],
  _ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> R
) -> R {
  a.withUnsafeBytes { a in
    b.withUnsafeBytes { b in
      c.withUnsafeBytes { c in
        body(
          UnsafeMutableRawPointer(mutating: a.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!),
          UnsafeMutableRawPointer(mutating: b.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!),
          UnsafeMutableRawPointer(mutating: c.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!))
      }
    }
  }
}

import CDNNL

extension OneDNN {
  /// The gradients a convolution's backward pass computes; `nil` where not asked for.
  struct ConvolutionGradients {
    var input: [Float]?
    var weight: [Float]?
    var bias: [Float]?
  }

  /// A convolution's output on NCHW arrays, and with `keepInput` its input in the layout the
  /// forward step chose (`nil` when that is NCHW), kept for the weight gradient; `nil` when
  /// oneDNN has no implementation for the shape.
  func convolutionForward(
    _ key: ConvolutionKey, input: [Float], weight: [Float], bias: [Float]?, keepInput: Bool,
    threads: Int
  ) -> (output: [Float], input: BlockedCopy?)? {
    exclusively(threads: threads) {
      guard let primitives = primitives(for: key) else { return nil }
      let count = key.output.reduce(1, *)
      var saved: BlockedCopy?
      let output = [Float](unsafeUninitializedCapacity: count) { output, initialized in
        withPointers(input, weight, bias ?? []) { input, weight, bias in
          if keepInput {
            saved = primitives.forward.copy(input, as: argument(.source), library: self)
          }
          var arguments: [Int32: OneDNNOperand] = [
            argument(.source): saved.map { .chosen($0.pointer) } ?? .plain(input),
            argument(.weights): .plain(weight),
            argument(.destination): .plain(UnsafeMutableRawPointer(output.baseAddress!)),
          ]
          if key.biasInForwardPrimitive { arguments[argument(.bias)] = .plain(bias) }
          primitives.forward.run(arguments, library: self)
          if key.hasBias && !key.biasInForwardPrimitive {
            Tensor.addChannelBias(
              output.baseAddress!, bias.assumingMemoryBound(to: Float.self),
              planes: key.output[0] * key.output[1], channels: key.output[1],
              plane: key.output[2] * key.output[3])
          }
        }
        initialized = count
      }
      return (output, saved)
    }
  }

  /// The gradients of a convolution's input, weight and bias from its output's gradient.
  /// - Parameter savedInput: what ``convolutionForward(_:input:weight:bias:threads:)`` kept.
  /// - Precondition: that forward pass succeeded for `key`.
  func convolutionBackward(
    _ key: ConvolutionKey, input: [Float], savedInput: BlockedCopy?, weight: [Float],
    outputGradient: [Float], needs: (input: Bool, weight: Bool, bias: Bool), threads: Int
  ) -> ConvolutionGradients {
    exclusively(threads: threads) {
      let primitives = primitives(for: key)!
      let (data, weights) = (primitives.backwardData, primitives.backwardWeights)
      var gradients = ConvolutionGradients()
      withPointers(input, weight, outputGradient) { input, weight, outputGradient in
        // The output gradient reordered once when both steps take it in the same layout.
        let shared =
          needs.input
            && primitives.sameLayout(
              data, argument(.destinationGradient), weights, argument(.destinationGradient),
              library: self)
          ? data.copy(outputGradient, as: argument(.destinationGradient), library: self)
          : nil
        let outputOperand =
          shared.map { OneDNNOperand.chosen($0.pointer) } ?? .plain(outputGradient)
        if needs.input {
          gradients.input = filled(key.input.reduce(1, *)) { inputGradient in
            data.run(
              [
                argument(.sourceGradient): .plain(inputGradient),
                argument(.weights): .plain(weight),
                argument(.destinationGradient): outputOperand,
              ], library: self)
          }
        }
        guard needs.weight else { return }
        let source: OneDNNOperand =
          savedInput != nil
            && primitives.sameLayout(
              primitives.forward, argument(.source), weights, argument(.source), library: self)
          ? .chosen(savedInput!.pointer) : .plain(input)
        var biasGradient = [Float](repeating: 0, count: key.hasBias ? key.output[1] : 0)
        let weightGradient = filled(key.weightCount) { weightGradient in
          biasGradient.withUnsafeMutableBytes { biasGradient in
            var arguments: [Int32: OneDNNOperand] = [
              argument(.source): source, argument(.destinationGradient): outputOperand,
              argument(.weightsGradient): .plain(weightGradient),
            ]
            if key.hasBias {
              arguments[argument(.biasGradient)] = .plain(biasGradient.baseAddress!)
            }
            weights.run(arguments, library: self)
          }
        }
        gradients.weight = weightGradient
        if key.hasBias { gradients.bias = biasGradient }
      }
      if !needs.weight && needs.bias && key.hasBias {
        // A bias alone (its weight frozen or untracked): its output gradient's channel sums.
        gradients.bias = Tensor.channelSums(
          outputGradient, channels: key.output[1], plane: key.output[2] * key.output[3])
      }
      return gradients
    }
  }
}

/// The arguments of convolution primitives, by role.
enum ConvolutionArgument {
  case source, weights, bias, destination
  case sourceGradient, weightsGradient, biasGradient, destinationGradient
}

/// oneDNN's number of an argument (`DNNL_ARG_SRC` …).
func argument(_ role: ConvolutionArgument) -> Int32 {
  switch role {
  case .source: Int32(DNNL_ARG_SRC)
  case .weights: Int32(DNNL_ARG_WEIGHTS)
  case .bias: Int32(DNNL_ARG_BIAS)
  case .destination: Int32(DNNL_ARG_DST)
  case .sourceGradient: Int32(DNNL_ARG_DIFF_SRC)
  case .weightsGradient: Int32(DNNL_ARG_DIFF_WEIGHTS)
  case .biasGradient: Int32(DNNL_ARG_DIFF_BIAS)
  case .destinationGradient: Int32(DNNL_ARG_DIFF_DST)
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

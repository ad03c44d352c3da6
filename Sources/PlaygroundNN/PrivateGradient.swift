import PlaygroundCore
import PlaygroundRandom

/// A layer that DP-SGD cannot train: its parameters' gradient is not defined per example.
public struct PerExampleGradientError: Error, CustomStringConvertible {
  public let description: String
}

/// DP-SGD's gradient (Abadi et al., 2016), as Opacus 1.6's `DPOptimizer` forms it: each
/// example's gradient clipped to norm C (factor min(1, C / (‖gₙ‖ + 10⁻⁶))), summed, Gaussian
/// noise of standard deviation σC added to every coordinate, divided by the expected batch size
/// (not the drawn one, which Poisson sampling varies). The optimizer then applies it as any
/// gradient.
public struct PrivateGradient {
  /// C, the largest norm an example's gradient (over all trained parameters) keeps.
  public var maxGradNorm: Float
  /// σ, the noise's standard deviation in units of C.
  public var noiseMultiplier: Float
  /// What the noisy sum is divided by: the dataset's size times the sampling rate (Opacus's
  /// `expected_batch_size`).
  public var expectedBatchSize: Int

  public init(maxGradNorm: Float, noiseMultiplier: Float, expectedBatchSize: Int) {
    precondition(maxGradNorm > 0 && noiseMultiplier >= 0 && expectedBatchSize >= 1)
    self.maxGradNorm = maxGradNorm
    self.noiseMultiplier = noiseMultiplier
    self.expectedBatchSize = expectedBatchSize
  }

  /// Throws a one-line error naming the first layer after `frozen` ones whose parameters have
  /// no per-example gradient here.
  public static func check(_ network: Sequential, frozen: Int = 0) throws {
    for (index, layer) in trainedLayers(network, frozen: frozen)
    where !(layer is any PerExampleGradientLayer) && !layer.parameters.isEmpty {
      let name = String(describing: type(of: layer))
      let advice =
        layer is BatchNorm
        ? "it mixes the examples of a batch, so no example has a gradient of its own: use GroupNorm or no normalisation"
        : "only Dense and Conv2D layers have per-example gradients here: use a network of those"
      throw PerExampleGradientError(
        description: "DP-SGD cannot train layer \(index) (\(name)): \(advice)")
    }
  }

  /// Computes the loss of `batch` and sets every trained parameter's gradient to DP-SGD's. The
  /// network runs on the batch padded to a multiple of ``batchQuantum`` examples; `loss` sees
  /// the real ones only.
  /// - Precondition: ``check(_:frozen:)`` accepts the network.
  /// - Parameters:
  ///   - frozen: the number of layers with weights, from the input, that do not train; they
  ///     run without recording.
  ///   - loss: the batch's mean loss from the network's output (mean over examples, as
  ///     PyTorch's `cross_entropy`); each example's own loss is what is differentiated.
  ///   - noise: the run's random stream for the noise.
  /// - Returns: the mean loss and the network's output.
  public func apply(
    to network: Sequential, frozen: Int = 0, batch: Tensor, loss: (Tensor) -> Tensor,
    noise: RandomGenerator
  ) -> (loss: Float, output: Tensor?) {
    precondition(
      (try? Self.check(network, frozen: frozen)) != nil,
      "DP-SGD got a network with a layer it cannot train: call PrivateGradient.check(_:frozen:) first"
    )
    let examples = batch.shape.first ?? 0
    var traces: [(layer: any PerExampleGradientLayer, trace: ExampleGradientTrace)] = []
    var result: (loss: Float, output: Tensor?) = (0, nil)
    if examples > 0 {
      let padded = forward(network, frozen: frozen, batch: Self.padded(batch), traces: &traces)
      let output = padded.narrowed(alongAxis: 0, 0..<examples)
      let mean = loss(output)
      // Each example's own loss: the mean's gradient times the batch size.
      mean.backward(seed: [Float(examples)])
      result = (mean.item, output)
    }
    let factors = clipFactors(traces)
    for (layer, trace) in traces {
      let sums = layer.weightedSumOfExampleGradients(trace, factors: factors)
      for (parameter, sum) in zip(layer.parameters, sums) {
        parameter.assignGradient(noisy(sum, noise))
      }
    }
    // A batch that Poisson sampling left empty still takes a step: noise only.
    if examples == 0 {
      for layer in Self.trainedLayers(network, frozen: frozen).map(\.layer) {
        for parameter in layer.parameters {
          parameter.assignGradient(noisy([Float](repeating: 0, count: parameter.count), noise))
        }
      }
    }
    return result
  }

  /// Batches are padded with zero examples to a multiple of this many. Poisson sampling draws a
  /// batch of a different size every step, and every new size made new oneDNN primitives and
  /// new buffers of its own size: the heap grew to 0.9 GB in a Fashion-MNIST epoch (0.2 GB with
  /// fixed batches), with a page fault for every fresh page. A padded example has no loss, so
  /// its gradients are zeros: its clipped gradient adds nothing to any sum.
  /// (Measured on a Fashion-MNIST epoch of Opacus's network: 16 keeps the heap at 0.25 GB and
  /// the epoch 8% faster; the results are the same bytes.)
  static let batchQuantum = 16

  /// `batch` with zero examples appended up to a multiple of ``batchQuantum``.
  static func padded(_ batch: Tensor) -> Tensor {
    let examples = batch.shape[0]
    let rounded = (examples + batchQuantum - 1) / batchQuantum * batchQuantum
    guard rounded > examples else { return batch }
    let size = batch.count / examples
    var scalars = batch.scalars
    scalars.append(contentsOf: repeatElement(0, count: (rounded - examples) * size))
    return Tensor(shape: [rounded] + batch.shape.dropFirst(), scalars: scalars)
  }

  /// (sum + N(0, σ²C²)) / expected batch size, coordinate by coordinate.
  private func noisy(_ sum: [Float], _ noise: RandomGenerator) -> [Float] {
    let deviation = noiseMultiplier * maxGradNorm
    let scale = 1 / Float(expectedBatchSize)
    let deviates =
      deviation > 0
      ? noise.normals(count: sum.count, standardDeviation: deviation) { pairs, work, body in
        Parallel.forEachChunk(pairs, work: work, body)
      }
      : [Float](repeating: 0, count: sum.count)
    return zip(sum, deviates).map { value, deviate in (value + deviate) * scale }
  }

  /// min(1, C / (‖gₙ‖ + 10⁻⁶)) for each example the layers traced (padding included), from the
  /// norms over every traced layer.
  private func clipFactors(
    _ traces: [(layer: any PerExampleGradientLayer, trace: ExampleGradientTrace)]
  ) -> [Float] {
    var squared = [Float](repeating: 0, count: traces.first?.trace.examples ?? 0)
    for (layer, trace) in traces {
      for (n, value) in layer.squaredNormsPerExample(trace).enumerated() { squared[n] += value }
    }
    return squared.map { min(1, maxGradNorm / ($0.squareRoot() + 1e-6)) }
  }

  /// The network applied with every trained layer traced; frozen layers run unrecorded.
  private func forward(
    _ network: Sequential, frozen: Int, batch: Tensor,
    traces: inout [(layer: any PerExampleGradientLayer, trace: ExampleGradientTrace)]
  ) -> Tensor {
    let firstTrained = Self.trainedLayers(network, frozen: frozen).first?.index ?? 0
    var x = batch
    for (index, layer) in network.layers.enumerated() {
      if index < firstTrained {
        x = withoutGradient { layer(x) }
      } else if let layer = layer as? any PerExampleGradientLayer {
        let trace = ExampleGradientTrace(input: x)
        traces.append((layer, trace))
        x = layer(x, tracing: trace)
      } else {
        x = layer(x)
      }
    }
    return x
  }

  /// The layers from the first trained one (after `frozen` layers with weights) to the end.
  static func trainedLayers(_ network: Sequential, frozen: Int) -> [(index: Int, layer: any Layer)]
  {
    var weighted = 0
    var trained: [(index: Int, layer: any Layer)] = []
    for (index, layer) in network.layers.enumerated() {
      if !layer.parameters.isEmpty { weighted += 1 }
      if weighted > frozen || (!trained.isEmpty) { trained.append((index, layer)) }
    }
    return trained
  }
}

import PlaygroundCore
import PlaygroundNN
import TestSupport
import Testing

/// `nn.RNN`, `nn.LSTM` and `nn.GRU` of `torch_rnn_reference.json`: outputs, final states and the
/// gradients of every input and weight; finite differences of each layer.
@Suite(.onEveryBackend) struct RecurrentTests {
  static func layer(_ kind: String, input: Int, hidden: Int, layers: Int) -> RecurrentStack {
    let rng = RandomGenerator(seed: 0)
    switch kind {
    case "lstm": return LSTM(inputSize: input, hiddenSize: hidden, layers: layers, generator: rng)
    case "gru": return GRU(inputSize: input, hiddenSize: hidden, layers: layers, generator: rng)
    default: return RNN(inputSize: input, hiddenSize: hidden, layers: layers, generator: rng)
    }
  }

  @Test(arguments: TorchRNNReference.shared.cases.keys.sorted())
  func matchesPyTorch(_ name: String) throws {
    let reference = try #require(TorchRNNReference.shared.cases[name])
    let x = try #require(reference.inputs["x"]).variable
    let layer = Self.layer(
      reference.kind, input: x.shape[2], hidden: reference.hidden, layers: reference.layers)
    let parameters = Dictionary(uniqueKeysWithValues: layer.namedParameters)
    #expect(Set(parameters.keys) == Set(reference.weights.keys))
    for (key, value) in reference.weights {
      let parameter = try #require(parameters[key])
      #expect(parameter.shape == value.shape, "\(name) \(key)")
      parameter.scalars = value.tensor.scalars
    }
    let h0 = reference.inputs["h0"]?.variable
    let c0 = reference.inputs["c0"]?.variable
    let start = h0.map { RecurrentState(hidden: $0, cell: c0) }
    let (output, state) = layer(x, initialState: start)
    var outputs: [(String, Tensor)] = [("output", output), ("h_n", state.hidden)]
    if let cell = state.cell { outputs.append(("c_n", cell)) }
    #expect(outputs.count == reference.outputs.count)
    var objective: Tensor?
    for (key, tensor) in outputs {
      let expected = try #require(reference.outputs[key])
      #expect(tensor.shape == expected.shape, "\(name) \(key)")
      #expect(mismatch(tensor.scalars, expected.data) == nil, "\(name) \(key)")
      let term = (tensor * reference.upstream[key]!.tensor).sum()
      objective = objective.map { $0 + term } ?? term
    }
    objective!.backward()
    var gradients = parameters
    gradients["x"] = x
    if let h0 { gradients["h0"] = h0 }
    if let c0 { gradients["c0"] = c0 }
    #expect(Set(gradients.keys) == Set(reference.grads.keys))
    for (key, expected) in reference.grads {
      let gradient = try #require(gradients[key]?.gradient, "\(name): no gradient of \(key)")
      #expect(mismatch(gradient, expected.data) == nil, "\(name) gradient of \(key)")
    }
  }

  @Test func everyCellAndShapeIsCovered() {
    let kinds = Set(TorchRNNReference.shared.cases.values.map(\.kind))
    #expect(kinds == ["rnn_tanh", "lstm", "gru"])
    #expect(TorchRNNReference.shared.cases.count == 7)
  }

  /// Central differences of `sum(output · u) + sum(h_n · v) (+ sum(c_n · w))` with respect to
  /// the input, the initial states and every weight, two layers deep.
  @Test(arguments: ["rnn", "lstm", "gru"])
  func gradientsMatchFiniteDifferences(_ kind: String) {
    let rng = RandomGenerator(seed: 4)
    let layer = Self.layer(kind, input: 3, hidden: 4, layers: 2)
    let x = rng.normalTensor([2, 5, 3]).requiringGrad()
    let h0 = rng.normalTensor([2, 2, 4], standardDeviation: 0.5).requiringGrad()
    let c0 = rng.normalTensor([2, 2, 4], standardDeviation: 0.5).requiringGrad()
    let inputs = [x, h0] + (kind == "lstm" ? [c0] : []) + layer.parameters
    func function(_: [Tensor]) -> Tensor {
      let (output, state) = layer(
        x, initialState: RecurrentState(hidden: h0, cell: kind == "lstm" ? c0 : nil))
      let parts =
        [output, state.hidden].map { $0.reshaped([$0.count]) }
        + (state.cell.map { [$0.reshaped([$0.count])] } ?? [])
      return Tensor.concatenate(parts, alongAxis: 0)
    }
    let upstream = (0..<(function([]).count)).map { _ in rng.uniform(in: -1..<1) }
    let (_, analytic) = outputAndGradients(inputs, upstream: Tensor(upstream), function)
    let numeric = numericalGradients(inputs, upstream: upstream, step: 1e-2, function)
    for (k, (a, n)) in zip(analytic, numeric).enumerated() {
      #expect(mismatch(a, n, relative: 2e-2, absolute: 2e-3) == nil, "\(kind) input \(k)")
    }
  }

  /// As a layer, `returnsSequences: false` gives the last layer's last hidden state.
  @Test func theLastHiddenStateIsTheLastStepsOutput() {
    let rng = RandomGenerator(seed: 1)
    let x = rng.normalTensor([3, 7, 2])
    let sequences = LSTM(
      inputSize: 2, hiddenSize: 5, layers: 2, generator: RandomGenerator(seed: 9))
    let last = LSTM(
      inputSize: 2, hiddenSize: 5, layers: 2, returnsSequences: false,
      generator: RandomGenerator(seed: 9))
    let all = sequences(x)
    let final = last(x)
    #expect(final.shape == [3, 5])
    #expect(all.narrowed(alongAxis: 1, 6..<7).reshaped([3, 5]).scalars == final.scalars)
  }
}

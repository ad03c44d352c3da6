import PlaygroundCore

/// The state a recurrent stack carries between steps: the hidden state of every layer
/// `[layers, batch, hidden]`, and (LSTM) the cell state alike.
public struct RecurrentState {
  public var hidden: Tensor
  public var cell: Tensor?

  public init(hidden: Tensor, cell: Tensor? = nil) {
    self.hidden = hidden
    self.cell = cell
  }
}

/// Stacked recurrent layers over batch-first sequences, as PyTorch's `nn.RNN` (tanh), `nn.LSTM`
/// and `nn.GRU` with `batch_first=True`: the same gate order, the same weight names and layout
/// (`weight_ih_l{k}` `[gates·hidden, input]`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`)
/// and the same initialisation (uniform in ±1/√hidden), so checkpoints map name for name.
///
/// Use ``RNN``, ``LSTM`` or ``GRU``. As a ``Layer`` it maps `[batch, steps, features]` to every
/// step's output `[batch, steps, hidden]`, or with `returnsSequences: false` (Keras'
/// `return_sequences=False`) to the last layer's last hidden state `[batch, hidden]`.
public class RecurrentStack: Layer {
  public let cell: RecurrentCell
  public let inputSize: Int
  public let hiddenSize: Int
  /// Per layer, the input and recurrent weights and biases.
  public let weightsIH: [Tensor]
  public let weightsHH: [Tensor]
  public let biasesIH: [Tensor]
  public let biasesHH: [Tensor]
  /// Whether calling it as a layer returns every step's output or the last hidden state.
  public let returnsSequences: Bool

  init(
    cell: RecurrentCell, inputSize: Int, hiddenSize: Int, layers: Int, useBias: Bool,
    returnsSequences: Bool, generator: RandomGenerator
  ) {
    precondition(
      inputSize > 0 && hiddenSize > 0 && layers > 0,
      "\(cell) needs positive input and hidden sizes and at least one layer")
    let gates = cell.gateCount * hiddenSize
    let bound = 1 / Float(hiddenSize).squareRoot()
    func parameter(_ shape: [Int]) -> Tensor {
      generator.uniformTensor(shape, in: -bound..<bound).requiringGrad()
    }
    var (ih, hh, bih, bhh) = ([Tensor](), [Tensor](), [Tensor](), [Tensor]())
    for layer in 0..<layers {
      // PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh per layer.
      ih.append(parameter([gates, layer == 0 ? inputSize : hiddenSize]))
      hh.append(parameter([gates, hiddenSize]))
      if useBias {
        bih.append(parameter([gates]))
        bhh.append(parameter([gates]))
      }
    }
    (self.cell, self.inputSize, self.hiddenSize) = (cell, inputSize, hiddenSize)
    (weightsIH, weightsHH, biasesIH, biasesHH) = (ih, hh, bih, bhh)
    self.returnsSequences = returnsSequences
  }

  public var layerCount: Int { weightsIH.count }

  /// Every step's output of the last layer and the final state of every layer.
  /// - Parameters:
  ///   - input: `[batch, steps, inputSize]`.
  ///   - initialState: `[layers, batch, hidden]` states to start from; zeros when `nil`.
  public func callAsFunction(_ input: Tensor, initialState: RecurrentState?) -> (
    output: Tensor, state: RecurrentState
  ) {
    precondition(
      input.rank == 3 && input.shape[2] == inputSize,
      "\(cell) reads [batch, steps, \(inputSize)], got \(input.shape)")
    let batch = input.shape[0]
    func initial(_ states: Tensor?, _ layer: Int) -> Tensor? {
      guard let states else { return nil }
      precondition(
        states.shape == [layerCount, batch, hiddenSize],
        "\(cell) initial states must be [\(layerCount), \(batch), \(hiddenSize)], got \(states.shape)"
      )
      return states.narrowed(alongAxis: 0, layer..<(layer + 1)).reshaped([batch, hiddenSize])
    }
    var x = input
    var (hidden, cells) = ([Tensor](), [Tensor]())
    for layer in 0..<layerCount {
      let result = Tensor.recurrent(
        cell, input: x, weightIH: weightsIH[layer], weightHH: weightsHH[layer],
        biasIH: biasesIH.isEmpty ? nil : biasesIH[layer],
        biasHH: biasesHH.isEmpty ? nil : biasesHH[layer],
        initialHidden: initial(initialState?.hidden, layer),
        initialCell: initial(initialState?.cell, layer))
      x = result.output
      hidden.append(result.hidden.reshaped([1, batch, hiddenSize]))
      if let c = result.cell { cells.append(c.reshaped([1, batch, hiddenSize])) }
    }
    let state = RecurrentState(
      hidden: Tensor.concatenate(hidden, alongAxis: 0),
      cell: cells.isEmpty ? nil : Tensor.concatenate(cells, alongAxis: 0))
    return (x, state)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    let (output, state) = self(input, initialState: nil)
    guard !returnsSequences else { return output }
    let batch = input.shape[0]
    return state.hidden.narrowed(alongAxis: 0, (layerCount - 1)..<layerCount).reshaped([
      batch, hiddenSize,
    ])
  }

  public var namedParameters: [NamedTensor] {
    (0..<layerCount).flatMap { k -> [NamedTensor] in
      [("weight_ih_l\(k)", weightsIH[k]), ("weight_hh_l\(k)", weightsHH[k])]
        + (biasesIH.isEmpty
          ? [] : [("bias_ih_l\(k)", biasesIH[k]), ("bias_hh_l\(k)", biasesHH[k])])
    }
  }
}

/// Elman RNN with tanh (PyTorch's `nn.RNN`): `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`.
public final class RNN: RecurrentStack {
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, useBias: Bool = true,
    returnsSequences: Bool = true, generator: RandomGenerator
  ) {
    super.init(
      cell: .rnn, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, useBias: useBias,
      returnsSequences: returnsSequences, generator: generator)
  }
}

/// Long short-term memory (Hochreiter & Schmidhuber, 1997; PyTorch's `nn.LSTM`), gates
/// `i, f, g, o`.
public final class LSTM: RecurrentStack {
  /// - Parameter forgetGateBias: added to the forget gates' input bias after PyTorch's
  ///   initialisation; 1 is Keras' `unit_forget_bias` (Jozefowicz et al., 2015), which lets the
  ///   cell remember from the start. 0 (the default) is PyTorch's.
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, useBias: Bool = true,
    returnsSequences: Bool = true, forgetGateBias: Float = 0, generator: RandomGenerator
  ) {
    super.init(
      cell: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, useBias: useBias,
      returnsSequences: returnsSequences, generator: generator)
    guard forgetGateBias != 0 else { return }
    for bias in biasesIH {
      for j in hiddenSize..<(2 * hiddenSize) { bias.scalars[j] += forgetGateBias }
    }
  }
}

/// Gated recurrent unit (Cho et al., 2014; PyTorch's `nn.GRU`), gates `r, z, n`.
public final class GRU: RecurrentStack {
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, useBias: Bool = true,
    returnsSequences: Bool = true, generator: RandomGenerator
  ) {
    super.init(
      cell: .gru, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, useBias: useBias,
      returnsSequences: returnsSequences, generator: generator)
  }
}

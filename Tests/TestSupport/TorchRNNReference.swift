import Foundation

/// `Tests/Fixtures/torch_rnn_reference.json`: PyTorch's recurrent layers' outputs and gradients.
public struct TorchRNNReference: Decodable, Sendable {
  public struct Case: Decodable, Sendable {
    /// `rnn_tanh`, `lstm` or `gru`.
    public let kind: String
    public let layers: Int
    public let hidden: Int
    /// `x`, and `h0` (and `c0`) where the case starts from a given state.
    public let inputs: [String: FixtureTensor]
    /// By PyTorch's names: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, …
    public let weights: [String: FixtureTensor]
    /// `output`, `h_n`, and `c_n` for the LSTM.
    public let outputs: [String: FixtureTensor]
    public let upstream: [String: FixtureTensor]
    /// Of every input and weight, by name.
    public let grads: [String: FixtureTensor]
  }

  public let cases: [String: Case]

  /// The fixture file, decoded once.
  public static let shared: TorchRNNReference = {
    let url = fixturesDirectory.appendingPathComponent("torch_rnn_reference.json")
    return try! JSONDecoder().decode(TorchRNNReference.self, from: Data(contentsOf: url))
  }()
}

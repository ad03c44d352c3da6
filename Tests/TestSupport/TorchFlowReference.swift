import Foundation
import PlaygroundCore

/// `Tests/Fixtures/torch_flow.json` (PyTorch, `scripts/fixtures/torch_flow.py`): the flow-matching
/// U-Net's operations and the whole network at small widths, with outputs and gradients.
public struct TorchFlowReference: Decodable, Sendable {
  public struct Values: Decodable, Sendable {
    public let shape: [Int]
    public let values: [Double]
    public var tensor: Tensor { Tensor(shape: shape, scalars: values.map { Float($0) }) }
  }

  /// An operation applied to inputs (and parameters), with `sum(output · upstream)`'s gradients.
  public struct Operation: Decodable, Sendable {
    public let inputs: [Values]
    public let parameters: [Values]
    public let upstream: [Double]
    public let output: Values
    public let inputGradients: [[Double]]
    public let parameterGradients: [[Double]]
  }

  public struct TimeEmbedding: Decodable, Sendable {
    public let times: [Double]
    public let output: Values
  }

  /// The anchor's U-Net: its state dict, one batch, and the gradients.
  public struct UNet: Decodable, Sendable {
    public let widths: [Int]
    public let embedding: Int
    public let timeFeatures: Int
    public let groups: Int
    public let classes: Int
    public let state: [String: Values]
    public let x: Values
    public let times: [Double]
    public let labels: [Int]
    public let upstream: [Double]
    public let output: Values
    public let xGradient: [Double]
    public let gradients: [String: [Double]]
  }

  let cases: [String: Case]

  enum Case: Decodable, Sendable {
    case operation(Operation)
    case timeEmbedding(TimeEmbedding)
    case unet(UNet)

    init(from decoder: Decoder) throws {
      if let unet = try? UNet(from: decoder) {
        self = .unet(unet)
      } else if let operation = try? Operation(from: decoder) {
        self = .operation(operation)
      } else {
        self = .timeEmbedding(try TimeEmbedding(from: decoder))
      }
    }
  }

  public static let shared: TorchFlowReference = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let data = try! Data(contentsOf: fixturesDirectory.appendingPathComponent("torch_flow.json"))
    return try! decoder.decode(TorchFlowReference.self, from: data)
  }()

  public func operation(_ name: String) -> Operation {
    guard case .operation(let value) = cases[name] else { fatalError("no operation \(name)") }
    return value
  }

  public var timeEmbedding: TimeEmbedding {
    guard case .timeEmbedding(let value) = cases["time_embedding_16"] else {
      fatalError("no time embedding case")
    }
    return value
  }

  public var unet: UNet {
    guard case .unet(let value) = cases["unet_8_8_16"] else { fatalError("no U-Net case") }
    return value
  }
}

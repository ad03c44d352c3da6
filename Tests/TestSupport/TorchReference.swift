import Foundation
import PlaygroundCore

/// `Tests/Fixtures/`, found from this file's path so that tests need no bundle resources.
public let fixturesDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// A tensor as the fixtures store it: shape and row-major data.
public struct FixtureTensor: Decodable, Sendable {
  public let shape: [Int]
  public let data: [Double]

  public var tensor: Tensor {
    Tensor(shape: shape, scalars: data.map { Float($0) })
  }

  /// A leaf that accumulates gradients.
  public var variable: Tensor { tensor.requiringGrad() }
}

/// `Tests/Fixtures/torch_reference.json`: PyTorch forward outputs, gradients and optimizer steps.
public struct TorchReference: Decodable, Sendable {
  public struct Case: Decodable, Sendable {
    public let inputs: [String: FixtureTensor]
    public let output: FixtureTensor
    public let upstream: FixtureTensor
    public let grads: [String: FixtureTensor]
    public let targets: Targets?
  }

  /// Class indices (cross-entropy) or a tensor (the other losses).
  public enum Targets: Decodable, Sendable {
    case labels([Int])
    case tensor(FixtureTensor)

    public init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let labels = try? container.decode([Int].self) {
        self = .labels(labels)
      } else {
        self = .tensor(try container.decode(FixtureTensor.self))
      }
    }

    public var labels: [Int] {
      guard case .labels(let labels) = self else { fatalError("targets are not labels") }
      return labels
    }

    public var tensor: Tensor {
      guard case .tensor(let t) = self else { fatalError("targets are not a tensor") }
      return t.tensor
    }
  }

  public struct OptimizerCase: Decodable, Sendable {
    public let start: FixtureTensor
    public let grads: [FixtureTensor]
    public let after_each_step: [FixtureTensor]
  }

  public let cases: [String: Case]
  public let optimizers: [String: OptimizerCase]

  /// The fixture file, decoded once.
  public static let shared: TorchReference = {
    let url = fixturesDirectory.appendingPathComponent("torch_reference.json")
    return try! JSONDecoder().decode(TorchReference.self, from: Data(contentsOf: url))
  }()
}

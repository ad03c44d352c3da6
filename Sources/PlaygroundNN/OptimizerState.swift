import PlaygroundCore

/// What an optimizer carries from step to step — its step count and its per-parameter buffers,
/// named as in PyTorch's `state_dict()` (`exp_avg`, `exp_avg_sq`, `momentum_buffer`,
/// `square_avg`) — so that a run saved mid-training continues exactly. Every optimizer here
/// saves and restores it (``SavableOptimizer``); ``contents(prefix:)`` puts it in a safetensors
/// file.
public struct OptimizerState: Sendable, Equatable {
  /// Steps taken so far.
  public var stepCount: Int
  /// Buffers by name, one entry per parameter in the optimizer's order (`nil`: not created yet,
  /// as SGD's momentum buffer before the first step).
  public var buffers: [String: [[Float]?]]

  public init(stepCount: Int, buffers: [String: [[Float]?]]) {
    self.stepCount = stepCount
    self.buffers = buffers
  }

  /// Tensors `<prefix>.<buffer>.<index>` and the metadata `<prefix>.steps`.
  public func contents(prefix: String) -> SafeTensors.Contents {
    var tensors: [(name: String, tensor: Tensor)] = []
    for name in buffers.keys.sorted() {
      for (index, values) in buffers[name]!.enumerated() {
        guard let values else { continue }
        tensors.append(
          ("\(prefix).\(name).\(index)", Tensor(shape: [values.count], scalars: values)))
      }
    }
    return SafeTensors.Contents(
      tensors: tensors, metadata: ["\(prefix).steps": String(stepCount)])
  }

  /// Reads what ``contents(prefix:)`` wrote, for an optimizer with these buffer names and
  /// parameter sizes.
  /// - Throws: ``CheckpointMismatch`` when the step count is missing or a buffer has another
  ///   size.
  public init(
    _ contents: SafeTensors.Contents, prefix: String, buffers names: [String], sizes: [Int]
  ) throws {
    guard let steps = contents.metadata["\(prefix).steps"].flatMap({ Int($0) }),
      (0...(1 << 40)).contains(steps)
    else {
      throw CheckpointMismatch(
        description: "\(prefix): no step count from 0 to 2^40 (a damaged checkpoint?)")
    }
    stepCount = steps
    buffers = [:]
    for name in names {
      buffers[name] = try sizes.enumerated().map { index, size in
        guard let tensor = contents["\(prefix).\(name).\(index)"] else { return nil }
        guard tensor.count == size else {
          throw CheckpointMismatch(
            description:
              "\(prefix).\(name).\(index) has \(tensor.count) values, the parameter \(size)")
        }
        return tensor.scalars
      }
    }
  }
}

/// An optimizer whose state can be saved and restored (all of them here).
public protocol SavableOptimizer: Optimizer {
  /// The buffer names of ``savedState``, e.g. `["exp_avg", "exp_avg_sq"]`.
  static var bufferNames: [String] { get }
  /// The state now.
  var savedState: OptimizerState { get }
  /// Continues from `state`.
  /// - Throws: ``CheckpointMismatch`` when its buffers do not fit these parameters.
  func restore(_ state: OptimizerState) throws
}

extension SavableOptimizer {
  /// `state`'s buffer `name`, every entry sized like the parameters (`nil` entries allowed
  /// when `optional`).
  func buffer(_ name: String, of state: OptimizerState, optional: Bool = false) throws
    -> [[Float]?]
  {
    guard let buffer = state.buffers[name], buffer.count == parameters.count else {
      throw CheckpointMismatch(
        description: "optimizer state: '\(name)' does not cover the parameters")
    }
    for (values, parameter) in zip(buffer, parameters) {
      if let values, values.count != parameter.count {
        throw CheckpointMismatch(
          description: "optimizer state: '\(name)' has a buffer of another size")
      }
      if values == nil && !optional {
        throw CheckpointMismatch(description: "optimizer state: '\(name)' lacks a buffer")
      }
    }
    return buffer
  }

  /// `state`'s buffers `names`, each complete, checked before any is used.
  func required(_ names: [String], of state: OptimizerState) throws -> [[[Float]]] {
    try names.map { try buffer($0, of: state).map { $0! } }
  }
}

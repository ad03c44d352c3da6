import Foundation
import PlaygroundCore

/// A checkpoint does not fit the model it is loaded into.
public struct CheckpointMismatch: Error, CustomStringConvertible {
  public let description: String
  public init(description: String) { self.description = description }
}

extension Layer {
  /// Saves parameters and buffers to a safetensors file, written atomically.
  public func save(to url: URL, metadata: [String: String] = [:]) throws {
    try SafeTensors.write(
      SafeTensors.Contents(
        tensors: namedState.map { ($0.name, $0.tensor.detached()) }, metadata: metadata),
      to: url)
  }

  /// Loads parameters and buffers saved by ``save(to:metadata:)`` (or by Python's `safetensors`
  /// with the same names and shapes), replacing this layer's values.
  /// - Throws: ``SafeTensorsError`` for a corrupt file, ``CheckpointMismatch`` when a name is
  ///   missing or a shape differs; nothing is changed then.
  /// - Returns: the file's metadata.
  @discardableResult
  public func load(from url: URL) throws -> [String: String] {
    let contents = try SafeTensors.read(from: url)
    try load(contents, source: url.path)
    return contents.metadata
  }

  /// Replaces this layer's values with those of already-read `contents`; `source` names the
  /// file in messages.
  /// - Throws: ``CheckpointMismatch`` when a name is missing or a shape differs; nothing is
  ///   changed then.
  public func load(_ contents: SafeTensors.Contents, source: String) throws {
    var updates: [(Tensor, [Float])] = []
    for (name, tensor) in namedState {
      guard let stored = contents[name] else {
        throw CheckpointMismatch(
          description:
            "\(source) has no tensor '\(name)' (it has \(contents.tensors.map(\.name).joined(separator: ", ")))"
        )
      }
      guard stored.shape == tensor.shape else {
        throw CheckpointMismatch(
          description:
            "\(source): '\(name)' has shape \(stored.shape), the model expects \(tensor.shape)")
      }
      updates.append((tensor, stored.scalars))
    }
    for (tensor, scalars) in updates { tensor.scalars = scalars }
  }
}
